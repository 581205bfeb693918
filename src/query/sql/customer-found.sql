-- A customer's versions over a date range, one row per version. ROWS: the range's current versions naming
-- the customer's FDIDs (customer-rows.ts), all of them or some versions' only; ACCOUNTS: rows (crd, fdid,
-- from_date, to_date, ccid), one per account: a version is the customer's when its firm's account named
-- by it was open on its date (one row per version, the lowest CRD's when a reporter's IMID stood for two
-- firms), so keeping to some versions before this gives their rows of the whole range's answer.
WITH accounts (crd, fdid, from_date, to_date, ccid) AS (VALUES {{ACCOUNTS}}),
joined AS MATERIALIZED (
  SELECT r.* EXCLUDE (event_ns), CAST(r.event_ns AS BIGINT) AS ns, a.ccid
  FROM ({{ROWS}}) r
  JOIN accounts a ON a.crd = r.crd AND a.fdid = r.fdid
    AND r.event_date >= a.from_date AND (a.to_date IS NULL OR r.event_date <= a.to_date)
)
-- Grouped on the narrow key rather than ranking the wide rows.
SELECT j.* FROM joined j
SEMI JOIN (SELECT _event_id, min(crd) AS crd FROM joined GROUP BY _event_id) k USING (_event_id, crd)
