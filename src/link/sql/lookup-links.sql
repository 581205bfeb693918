-- The run's links (docs/formats/linkage.md, "links"), sorted by bucket and lifecycle, then written a bucket
-- per file (lookup-bucket.sql): a lifecycle's links sit in one row group, which is all a lookup reads.
CREATE OR REPLACE TEMP TABLE lk_ix AS
SELECT lc_num % {{BUCKETS}} AS bucket, lc_date, lc_num, from_event_id, to_event_id, kind, from_date
FROM lk_links_out
ORDER BY bucket, lc_num, lc_date, from_event_id, to_event_id, kind;
