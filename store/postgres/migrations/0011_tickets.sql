-- "Tanya petugas": an owner's questions to the Dinas and the staff's
-- answers. An owner has at most one ticket that is not closed. A user's
-- data deletion deletes their tickets and, by cascade, the messages.

CREATE TABLE tickets (
    id                bigserial   PRIMARY KEY,
    -- TNY-2026-000123: the year of creation (WIB) and the id.
    number            text        NOT NULL UNIQUE,
    user_id           bigint      NOT NULL,
    -- The language the owner last wrote in; answers are rendered in it.
    lang              text        NOT NULL DEFAULT '',
    status            text        NOT NULL DEFAULT 'baru'
        CHECK (status IN ('baru', 'dibalas', 'selesai')),
    -- The first staff answer; NULL until then.
    first_response_at timestamptz,
    -- When and by whom (the owner or a staff member) it was closed.
    closed_at         timestamptz,
    closed_by         bigint      NOT NULL DEFAULT 0,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'selesai') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX tickets_one_open ON tickets (user_id) WHERE status <> 'selesai';
CREATE INDEX tickets_queue ON tickets (created_at, id) WHERE status <> 'selesai';
CREATE INDEX tickets_user ON tickets (user_id, created_at);

CREATE TABLE ticket_messages (
    id        bigserial   PRIMARY KEY,
    ticket_id bigint      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    -- The staff member who answered; 0 for the owner's message.
    staff_id  bigint      NOT NULL DEFAULT 0,
    text      text        NOT NULL CHECK (text <> ''),
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);
