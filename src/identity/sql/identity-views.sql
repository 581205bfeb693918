-- Views over the identity store. {{accounts}}, {{holders}}, {{ltids}}, {{customers}} are the scans of
-- store/identity/<table>/. Only rows of ingested customer files count.

CREATE OR REPLACE TEMP VIEW cais_accounts AS
SELECT a.* FROM {{accounts}} a JOIN files f ON f.file_id = a.file_id WHERE f.status = 'ingested';

-- After a CCID key rotation the customer files are re-keyed; only rows made with the current key count.
CREATE OR REPLACE TEMP VIEW cais_holders AS
SELECT h.* FROM {{holders}} h JOIN files f ON f.file_id = h.file_id
WHERE f.status = 'ingested' AND h.ccid_key = (SELECT value FROM meta WHERE key = 'ccid_key');

CREATE OR REPLACE TEMP VIEW cais_ltids AS
SELECT l.* FROM {{ltids}} l JOIN files f ON f.file_id = l.file_id WHERE f.status = 'ingested';

CREATE OR REPLACE TEMP VIEW cais_customers AS
SELECT c.* FROM {{customers}} c JOIN files f ON f.file_id = c.file_id
WHERE f.status = 'ingested' AND c.ccid_key = (SELECT value FROM meta WHERE key = 'ccid_key');

-- What the firm said last about each account: every CAIS file restates the firm's accounts, so the latest
-- file that mentions an account decides its holders and large trader IDs.
CREATE OR REPLACE TEMP VIEW fdid_holders AS
SELECT * EXCLUDE (_rank) FROM (
  SELECT *, dense_rank() OVER (PARTITION BY crd, fdid ORDER BY received_ns DESC, file_id DESC) AS _rank FROM cais_holders
) WHERE _rank = 1;

CREATE OR REPLACE TEMP VIEW fdid_ltids AS
SELECT * EXCLUDE (_rank) FROM (
  SELECT *, dense_rank() OVER (PARTITION BY crd, fdid ORDER BY received_ns DESC, file_id DESC) AS _rank FROM cais_ltids
) WHERE _rank = 1;

-- Every FDID an event names (orders, trade sides, allocations), with the firm's CRD; `symbol` is the
-- option series (optionID) for option events.
CREATE OR REPLACE TEMP VIEW event_fdids AS
SELECT e._event_id, e._reporter, e._type, e._roe_id, e.event_date, e._event_ns,
  coalesce(e.symbol, e.optionID) AS symbol, i.crd, f.fdid
FROM current_events e
JOIN ref_imids i ON i.imid = e._reporter AND e.event_date BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
CROSS JOIN LATERAL (
  SELECT e.firmDesignatedID AS fdid
  UNION ALL SELECT json_extract_string(e.buyDetails, '$[0].firmDesignatedID')
  UNION ALL SELECT json_extract_string(e.sellDetails, '$[0].firmDesignatedID')
) f
WHERE f.fdid IS NOT NULL;

-- Each event with the customers (CCIDs) behind its FDIDs as of the event date.
CREATE OR REPLACE TEMP VIEW event_customers AS
SELECT ef.*, h.ccid, h.role
FROM event_fdids ef
JOIN fdid_holders h ON h.crd = ef.crd AND h.fdid = ef.fdid
  AND ef.event_date >= h.from_date AND (h.to_date IS NULL OR ef.event_date <= h.to_date);

-- Order events that named an FDID unknown to CAIS when their date was checked at T+3 08:00 (90050).
CREATE OR REPLACE TEMP VIEW fdid_findings AS SELECT * FROM {{fdid_findings}};
