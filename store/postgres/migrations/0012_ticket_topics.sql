-- "Tanya petugas" in the staff group: each ticket gets its own forum
-- topic there (topic_id, the message_thread_id; 0 until it is created),
-- and a message may carry a photo or a document, kept as Telegram's
-- file_id (the file itself is never downloaded).

ALTER TABLE tickets ADD COLUMN topic_id bigint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX tickets_topic ON tickets (topic_id) WHERE topic_id <> 0;

ALTER TABLE ticket_messages ADD COLUMN file_kind text NOT NULL DEFAULT ''
    CHECK (file_kind IN ('', 'photo', 'document'));
ALTER TABLE ticket_messages ADD COLUMN file_id text NOT NULL DEFAULT '';
ALTER TABLE ticket_messages DROP CONSTRAINT ticket_messages_text_check;
ALTER TABLE ticket_messages ADD CONSTRAINT ticket_messages_text_check
    CHECK (text <> '' OR file_id <> '');
