-- How many times a training's date, time or place changed: it numbers the
-- notices of each change (key "tmove:<training>:<move>:<booking>"), so
-- that every change is told once.
ALTER TABLE trainings ADD COLUMN moves int NOT NULL DEFAULT 0 CHECK (moves >= 0);
