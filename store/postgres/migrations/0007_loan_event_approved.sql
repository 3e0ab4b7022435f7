-- A move to DISETUJUI carries the approved amount; the event keeps it, so
-- that the history says what was approved (whole rupiah, 0 for any other
-- event).
ALTER TABLE loan_events ADD COLUMN approved bigint NOT NULL DEFAULT 0 CHECK (approved >= 0);
