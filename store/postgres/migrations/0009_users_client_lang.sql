-- The language each user's Telegram reports, kept from their latest update,
-- so that messages sent later (notices, reminders, announcements) speak it
-- when the user never chose one with /bahasa (lang is then '').

ALTER TABLE users ADD COLUMN client_lang text NOT NULL DEFAULT '';
