-- UPDB revolving-fund loans (dana bergulir): the applications, every stage
-- change, the payments received and the Telegram users linked to them.
--
-- Loan records are kept by law even when a linked user asks for their data
-- to be deleted: only the link goes. The NIK is stored in clear, like the
-- registrations' (see 0002); it never reaches the audit log.

-- The stage codes of domain.md §5.3; the transitions between them are the
-- loan flow's state machine, not the database's.
CREATE TABLE loans (
    id             bigserial   PRIMARY KEY,
    -- UPDB-2026-0042: the key of imports.
    number         text        NOT NULL UNIQUE,
    nik            text        NOT NULL DEFAULT '',
    applicant_name text        NOT NULL DEFAULT '',
    business_name  text        NOT NULL DEFAULT '',
    -- Whole rupiah.
    requested      bigint      NOT NULL DEFAULT 0 CHECK (requested >= 0),
    approved       bigint      NOT NULL DEFAULT 0 CHECK (approved >= 0),
    tenor_months   int         NOT NULL DEFAULT 0 CHECK (tenor_months >= 0),
    -- The yearly rate in basis points (400 = 4 %).
    rate_bp        int         NOT NULL DEFAULT 0 CHECK (rate_bp >= 0),
    -- '' until the terms are set.
    method         text        NOT NULL DEFAULT ''
        CHECK (method IN ('', 'flat', 'declining', 'annuity')),
    grace_months   int         NOT NULL DEFAULT 0 CHECK (grace_months >= 0),
    -- NULL until DICAIRKAN.
    disbursed_at   timestamptz,
    stage          text        NOT NULL DEFAULT 'DIAJUKAN'
        CHECK (stage IN ('DIAJUKAN', 'VERIFIKASI', 'PERLU_LENGKAPI', 'SURVEI', 'RAPAT_KOMITE',
                         'DISETUJUI', 'DITOLAK', 'AKAD', 'DICAIRKAN', 'BERJALAN', 'MENUNGGAK',
                         'LUNAS', 'DIBATALKAN')),
    -- The latest stage note (missing documents, a rejection reason).
    note           text        NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Every stage change, kept for ever; the creation is the first, from ''.
CREATE TABLE loan_events (
    id         bigserial   PRIMARY KEY,
    loan_id    bigint      NOT NULL REFERENCES loans (id),
    from_stage text        NOT NULL,
    to_stage   text        NOT NULL,
    note       text        NOT NULL DEFAULT '',
    -- The staff member's Telegram user id; 0 for an import.
    actor      bigint      NOT NULL DEFAULT 0,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loan_events_loan_id ON loan_events (loan_id, id);

CREATE TABLE payments (
    id         bigserial   PRIMARY KEY,
    loan_id    bigint      NOT NULL REFERENCES loans (id),
    amount     bigint      NOT NULL CHECK (amount > 0),
    paid_at    timestamptz NOT NULL,
    actor      bigint      NOT NULL DEFAULT 0,
    -- The import's reference, which makes a second import of the same
    -- payment a no-op; NULL for a payment typed by staff.
    ref        text        UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_loan_id ON payments (loan_id, paid_at);

-- Which Telegram users may see a loan: linked by its number and the
-- applicant's NIK. A user's data deletion removes their links.
CREATE TABLE loan_links (
    user_id   bigint      NOT NULL,
    loan_id   bigint      NOT NULL REFERENCES loans (id),
    linked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, loan_id)
);
CREATE INDEX loan_links_loan_id ON loan_links (loan_id);
