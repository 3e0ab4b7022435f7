-- Registrations of businesses, the per-year counters that number them,
-- consent answers and the audit trail.
--
-- NIK and phone are stored as the store is given them, in clear: encryption
-- at rest is out of scope here (the operator's disk or database encryption
-- covers it for now). They never reach the audit log.

-- registration_year is the calendar year of ts in WIB (Asia/Jakarta, UTC+7
-- without daylight saving): the year printed in a registration number.
CREATE FUNCTION registration_year(ts timestamptz) RETURNS int
    LANGUAGE sql STABLE
    AS $$ SELECT extract(year FROM ts AT TIME ZONE 'Asia/Jakarta')::int $$;

CREATE TABLE registrations (
    id               bigserial   PRIMARY KEY,
    -- UMKM-3603-<year>-<6 digits>, from registration_counters.
    number           text        NOT NULL UNIQUE,
    -- The owner's Telegram user id; 0 once anonymised.
    user_id          bigint      NOT NULL,
    owner_name       text        NOT NULL DEFAULT '',
    nik              text        NOT NULL DEFAULT '',
    birth_date       date,
    female           boolean     NOT NULL DEFAULT false,
    phone            text        NOT NULL DEFAULT '',
    business_name    text        NOT NULL DEFAULT '',
    -- business_name lower-cased with runs of white space collapsed to one
    -- space: the form the one-registration-per-NIK-and-business rule
    -- compares.
    business_key     text        NOT NULL DEFAULT '',
    sector           text        NOT NULL DEFAULT '',
    products         text        NOT NULL DEFAULT '',
    kecamatan        text        NOT NULL DEFAULT '',
    desa             text        NOT NULL DEFAULT '',
    address          text        NOT NULL DEFAULT '',
    year_started     int         NOT NULL DEFAULT 0,
    workers          int         NOT NULL DEFAULT 0,
    capital          bigint      NOT NULL DEFAULT 0,
    turnover         bigint      NOT NULL DEFAULT 0,
    turnover_monthly boolean     NOT NULL DEFAULT false,
    class            text        NOT NULL DEFAULT '',
    class_basis      text        NOT NULL DEFAULT '',
    nib              text        NOT NULL DEFAULT '',
    halal            text        NOT NULL DEFAULT '',
    consent_version  text        NOT NULL DEFAULT '',
    consent_at       timestamptz,
    -- The caller's key for this creation: a retry with the same key finds
    -- the row instead of adding one. NULL once anonymised.
    idempotency_key  text        UNIQUE,
    -- Set when the owner's data was deleted: the row keeps only business
    -- aggregates for statistics.
    anonymised_at    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One live registration per NIK and business; anonymised rows do not count.
CREATE UNIQUE INDEX registrations_nik_business_key
    ON registrations (nik, business_key) WHERE anonymised_at IS NULL;
CREATE INDEX registrations_user_id ON registrations (user_id);
CREATE INDEX registrations_kecamatan_sector ON registrations (kecamatan, sector);

-- The last number given in each WIB year. Bumped in the creating
-- transaction, so a rolled-back creation gives its number back, and the row
-- lock orders concurrent creations.
CREATE TABLE registration_counters (
    year int PRIMARY KEY,
    last int NOT NULL
);

CREATE TABLE consents (
    id             bigserial   PRIMARY KEY,
    user_id        bigint      NOT NULL,
    purpose        text        NOT NULL,
    notice_version text        NOT NULL,
    granted        boolean     NOT NULL,
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_user_id ON consents (user_id, at);

-- Who did what to which record (Pasal 31 UU PDP). Details name fields,
-- never personal values.
CREATE TABLE audit_log (
    id     bigserial   PRIMARY KEY,
    actor  bigint      NOT NULL DEFAULT 0,
    action text        NOT NULL,
    object text        NOT NULL DEFAULT '',
    detail text        NOT NULL DEFAULT '',
    at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_object ON audit_log (object, id);
