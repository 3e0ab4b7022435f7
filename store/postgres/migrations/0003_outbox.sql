-- The outbox of proactive messages, the staff broadcasts (campaigns) that
-- fill it, and each user's broadcast preferences and reachability.

CREATE TABLE campaigns (
    id               bigserial   PRIMARY KEY,
    -- The staff member's Telegram user id.
    created_by       bigint      NOT NULL,
    -- The encoded message (flows.EncodeReply) every recipient gets; the
    -- campaign's outbox rows read it from here instead of each keeping a
    -- copy.
    payload          bytea       NOT NULL,
    -- The audience filter: a kecamatan code, a sector key, a training id;
    -- '' and 0 mean any.
    kecamatan        text        NOT NULL DEFAULT '',
    sector           text        NOT NULL DEFAULT '',
    training_id      bigint      NOT NULL DEFAULT 0,
    status           text        NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'paused', 'cancelled', 'done')),
    -- Sending may begin at start_at (after quiet hours).
    start_at         timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Where the staff's progress message is, edited while the campaign runs.
    progress_chat    bigint      NOT NULL DEFAULT 0,
    progress_message int         NOT NULL DEFAULT 0
);

CREATE TABLE outbox (
    id          bigserial   PRIMARY KEY,
    -- The dedup key: "bc:<campaign>:<user>", "remind:<booking>:d-1", ...
    key         text        NOT NULL UNIQUE,
    chat_id     bigint      NOT NULL,
    kind        text        NOT NULL,
    campaign_id bigint      REFERENCES campaigns (id),
    -- The encoded message; NULL for a campaign's rows, which send the
    -- campaign's payload.
    payload     bytea,
    not_before  timestamptz NOT NULL DEFAULT now(),
    status      text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'blocked', 'failed', 'cancelled')),
    -- Retries so far (5xx, network errors, long flood waits).
    attempts    int         NOT NULL DEFAULT 0,
    -- While status is 'sending': when another sender may take the row over
    -- (its sender died).
    lease_until timestamptz,
    worker      text        NOT NULL DEFAULT '',
    message_id  int         NOT NULL DEFAULT 0,
    last_error  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    CHECK (payload IS NOT NULL OR campaign_id IS NOT NULL)
);

-- What Claim scans: the rows not yet finished, by due time.
CREATE INDEX outbox_due ON outbox (not_before) WHERE status IN ('pending', 'sending');
-- Campaign statistics and cancellation.
CREATE INDEX outbox_campaign ON outbox (campaign_id, status) WHERE campaign_id IS NOT NULL;

-- A user's choice about announcements (/berhenti, /langganan) and whether
-- they blocked the bot (a 403). No row means subscribed and reachable.
CREATE TABLE user_prefs (
    user_id    bigint      PRIMARY KEY,
    broadcasts boolean     NOT NULL DEFAULT true,
    blocked_at timestamptz
);
