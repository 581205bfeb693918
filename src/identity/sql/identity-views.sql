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

-- Every FDID an event names, and the customers behind them (event-fdids.sql, event-customers.sql over
-- current_events).
CREATE OR REPLACE TEMP VIEW event_fdids AS {{event_fdids}};

CREATE OR REPLACE TEMP VIEW event_customers AS {{event_customers}};

-- Order events that named an FDID unknown to CAIS when their date was checked at T+3 08:00 (90050).
CREATE OR REPLACE TEMP VIEW fdid_findings AS SELECT * FROM {{fdid_findings}};
