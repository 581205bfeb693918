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

-- What the firm said last about each account (latest-word.sql).
CREATE OR REPLACE TEMP VIEW fdid_holders AS {{fdid_holders}};

CREATE OR REPLACE TEMP VIEW fdid_ltids AS {{fdid_ltids}};

-- Every FDID an event names, and the customers behind them (event-fdids.sql, event-customers.sql over
-- current_events).
CREATE OR REPLACE TEMP VIEW event_fdids AS {{event_fdids}};

CREATE OR REPLACE TEMP VIEW event_customers AS {{event_customers}};

-- Order events that named an FDID unknown to CAIS when their date was checked at T+3 08:00 (90050).
CREATE OR REPLACE TEMP VIEW fdid_findings AS SELECT * FROM {{fdid_findings}};
