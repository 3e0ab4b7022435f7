-- Users and their chosen language; staff of the Dinas beyond those named in
-- the configuration.

CREATE TABLE users (
    telegram_id bigint      PRIMARY KEY,
    lang        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    telegram_id bigint      PRIMARY KEY,
    name        text        NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now()
);
