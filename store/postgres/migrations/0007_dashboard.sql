-- Indexes of the staff dashboard's queries (EXPLAIN-checked in
-- stats_test.go and BENCHMARKS.md).

-- The registration table's newest-first pages, the daily counts of the last
-- 30 days and the date-range filter.
CREATE INDEX registrations_live_created ON registrations (created_at DESC, id DESC)
    WHERE anonymised_at IS NULL;
-- The Pelatihan page lists every training, latest first.
CREATE INDEX trainings_start ON trainings (start_at DESC, id DESC);
-- The arrears list and the per-stage lists.
CREATE INDEX loans_stage ON loans (stage, id);
-- Campaigns newest first.
CREATE INDEX campaigns_created ON campaigns (created_at DESC, id DESC);
