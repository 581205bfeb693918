-- The run's lookup index (docs/formats/linkage.md, "Lookup index"): the members again, each with the text
-- a lifecycle shows of its event, taken from this scan of the store, so that a lookup never opens the
-- store's files. Sorted once here, then written a hash bucket per file (lookup-bucket.sql), each in
-- lifecycle number order, so that the Parquet reader skips every row group of the file but the one holding
-- the lifecycle.
-- The join and the sort are two statements: in one, the join's table of members stays pinned while the
-- sort fills, and a 96 M-event day ran out of a 4 GB limit there (an 11 M-event day out of 300 MB, which
-- the two statements keep to).
CREATE OR REPLACE TEMP TABLE lk_ix_rows AS
WITH m AS (
  SELECT lc_date, lc_num, first = 1 AS first, eid AS _event_id FROM lk_life WHERE member = 1 AND NOT prior
  UNION ALL
  SELECT lc_date, lc_num, false, eid FROM lk_extra WHERE NOT prior
)
SELECT m.lc_num % {{BUCKETS}} AS bucket, m.lc_date, m.lc_num, m.first, m._event_id, e._reporter, e._roe_id,
  e._type, e._event_ns, e._ts_digits, coalesce(e.symbol, e.optionID) AS symbol, e.side,
  e.price::VARCHAR AS price, e.quantity::VARCHAR AS quantity
FROM m JOIN lk_scan e ON e._event_id = m._event_id;

CREATE OR REPLACE TEMP TABLE lk_ix AS SELECT * FROM lk_ix_rows ORDER BY bucket, lc_num, lc_date, _event_id;

DROP TABLE lk_ix_rows;
