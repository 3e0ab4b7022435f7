-- Trainings the Dinas runs and the owners' places in them (bookings and the
-- waitlist). Every change to a training's bookings first takes the
-- training's row lock (SELECT ... FOR UPDATE), which serialises bookings,
-- cancellations and promotions of one training.

CREATE TABLE trainings (
    id          bigserial   PRIMARY KEY,
    topic       text        NOT NULL,
    title       text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    start_at    timestamptz NOT NULL,
    end_at      timestamptz NOT NULL,
    -- An address, or '' for an online training with a link.
    place       text        NOT NULL DEFAULT '',
    link        text        NOT NULL DEFAULT '',
    capacity    int         NOT NULL CHECK (capacity >= 0),
    -- The last moment to book.
    deadline    timestamptz NOT NULL,
    status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    -- The staff member's Telegram user id.
    created_by  bigint      NOT NULL DEFAULT 0,
    -- Identifies a training of an imported schedule; NULL for trainings
    -- made in the chat.
    import_key  text        UNIQUE,
    -- The last booking code sequence given in this training: codes are
    -- PLT-<id>-<4 digits>, bumped under the row lock, so without gaps.
    booking_seq int         NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at >= start_at)
);

-- What Upcoming scans.
CREATE INDEX trainings_upcoming ON trainings (start_at) WHERE status = 'open';

CREATE TABLE bookings (
    id             bigserial   PRIMARY KEY,
    code           text        NOT NULL UNIQUE,
    training_id    bigint      NOT NULL REFERENCES trainings (id),
    -- The owner's Telegram user id.
    user_id        bigint      NOT NULL,
    status         text        NOT NULL
        CHECK (status IN ('booked', 'waitlisted', 'offered', 'cancelled', 'attended', 'absent')),
    -- Until when an offered seat is held; NULL unless offered.
    offer_deadline timestamptz,
    -- The waitlist order (then id). clock_timestamp(), not now(): taken
    -- when the row is inserted under the training's lock, so a transaction
    -- that began earlier but waited for the lock comes later.
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'offered') = (offer_deadline IS NOT NULL))
);

-- No owner ever holds two places in one training.
CREATE UNIQUE INDEX bookings_one_place ON bookings (training_id, user_id)
    WHERE status IN ('booked', 'waitlisted', 'offered');
-- Counts, the waitlist order and positions.
CREATE INDEX bookings_training ON bookings (training_id, status, created_at, id);
CREATE INDEX bookings_user ON bookings (user_id);
-- What ExpireOffers scans.
CREATE INDEX bookings_offers ON bookings (offer_deadline) WHERE status = 'offered';
