-- The staff dashboard: running tallies of registrations, so that the
-- breakdowns read a thousand rows instead of every registration, and the
-- indexes of its other queries (EXPLAIN-checked, see BENCHMARKS.md).

-- Registrations counted by kecamatan, sector and class, and by WIB day of
-- registration. n counts anonymised rows too (they keep their business
-- aggregates for statistics); live only those not anonymised (the rows the
-- registration table lists).
CREATE TABLE registration_tally (
    kecamatan text   NOT NULL,
    sector    text   NOT NULL,
    class     text   NOT NULL,
    n         bigint NOT NULL,
    live      bigint NOT NULL,
    PRIMARY KEY (kecamatan, sector, class)
);
CREATE TABLE registration_daily (
    day date   PRIMARY KEY,
    n   bigint NOT NULL
);

-- Kept by a trigger in the transaction that changes the registration; the
-- creating transaction already holds its year's counter row, so the extra
-- row locks add no new contention.
CREATE FUNCTION registration_tally() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE registration_tally SET n = n - 1, live = live - (OLD.anonymised_at IS NULL)::int
            WHERE kecamatan = OLD.kecamatan AND sector = OLD.sector AND class = OLD.class;
        UPDATE registration_daily SET n = n - 1
            WHERE day = (OLD.created_at AT TIME ZONE 'Asia/Jakarta')::date;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO registration_tally AS t
            VALUES (NEW.kecamatan, NEW.sector, NEW.class, 1, (NEW.anonymised_at IS NULL)::int)
            ON CONFLICT (kecamatan, sector, class) DO UPDATE SET n = t.n + 1, live = t.live + excluded.live;
        INSERT INTO registration_daily AS d VALUES ((NEW.created_at AT TIME ZONE 'Asia/Jakarta')::date, 1)
            ON CONFLICT (day) DO UPDATE SET n = d.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER registrations_tally
    AFTER INSERT OR DELETE OR UPDATE OF kecamatan, sector, class, created_at, anonymised_at ON registrations
    FOR EACH ROW EXECUTE FUNCTION registration_tally();

INSERT INTO registration_tally
    SELECT kecamatan, sector, class, count(*), count(*) FILTER (WHERE anonymised_at IS NULL)
    FROM registrations GROUP BY 1, 2, 3;
INSERT INTO registration_daily
    SELECT (created_at AT TIME ZONE 'Asia/Jakarta')::date, count(*) FROM registrations GROUP BY 1;

-- The registration table's newest-first pages, its date-range filter and
-- its counts (index-only).
CREATE INDEX registrations_live_created ON registrations (created_at DESC, id DESC)
    WHERE anonymised_at IS NULL;
-- The Pelatihan page lists every training, latest first.
CREATE INDEX trainings_start ON trainings (start_at DESC, id DESC);
-- The arrears list and the per-stage lists.
CREATE INDEX loans_stage ON loans (stage, id);
-- Campaigns newest first, and each campaign's first and last delivery.
CREATE INDEX campaigns_created ON campaigns (created_at DESC, id DESC);
CREATE INDEX outbox_campaign_sent ON outbox (campaign_id, sent_at)
    WHERE campaign_id IS NOT NULL AND sent_at IS NOT NULL;
