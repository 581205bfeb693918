-- The run's keys (docs/formats/linkage.md, "keys"), sorted by bucket and key hash, then written a bucket per
-- file (lookup-bucket.sql): a lookup by firmROEID reads the one row group of its bucket's file that holds
-- the hash, where an unsorted file would be read and decrypted whole.
CREATE OR REPLACE TEMP TABLE lk_ix AS
WITH k AS (
  SELECT key_num, eid AS _event_id, lc_date, lc_num FROM lk_life WHERE member = 1 AND NOT prior
  UNION ALL
  SELECT key_num, eid, lc_date, lc_num FROM lk_extra WHERE NOT prior
)
SELECT key_num % {{BUCKETS}} AS bucket, key_num, _event_id, lc_date, lc_num FROM k
ORDER BY bucket, key_num, _event_id, lc_date, lc_num;
