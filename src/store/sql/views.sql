-- Views over the Parquet store, created for each connection. {{EVENTS}} and {{REJECTS}} are the scans of
-- the store (or of empty tables before anything was stored).

-- Every stored record version of every ingested file, deleted files included (for "as of" questions).
CREATE OR REPLACE TEMP VIEW events_all AS
SELECT e.*, f.ingested_ns AS _ingested_ns, f.deleted_ns AS _deleted_ns
FROM {{EVENTS}} e
JOIN files f ON f.file_id = e._file_id
WHERE f.ingested_ns IS NOT NULL;

-- The record versions of files that are not deleted.
CREATE OR REPLACE TEMP VIEW events AS
SELECT * FROM events_all WHERE _deleted_ns IS NULL;

-- The repository as it stood at instant t (ns): files ingested by then and not yet deleted, and for each
-- record (reporter, event date, record id) the latest version received by then, unless that is a DEL.
-- A NEW that reuses the id of a record still live is a duplicate (linkage rejects it, 3002), not a new
-- version: the record keeps its earlier version. A NEW after a DEL starts the record again.
-- A repair (RPR) or delete (DEL) may name the version in error by its errorROEID, the event id linkage and
-- FDID feedback give it (IM spec §7.6): that version is retired, never current again, and never
-- overwritten. A DEL naming it ends its record, unless it was a duplicate that never counted. An RPR naming
-- it continues its record when it was the record's live version and keeps its id; otherwise (a new
-- firmROEID, or a duplicate repaired) the RPR stands under its own id, like a NEW.
CREATE OR REPLACE TEMP MACRO events_as_of(t) AS TABLE
WITH visible AS (
  SELECT * FROM events_all WHERE _ingested_ns <= t AND (_deleted_ns IS NULL OR _deleted_ns > t)
), named AS (
  SELECT r._event_id AS repair_id, r._action AS repair_action, r.event_date AS repair_date, r._roe_id AS repair_roe,
    v._event_id AS named_id, v._reporter, v.event_date, v._roe_id, v._action, v._received_ns, v._event_id
  FROM visible r JOIN visible v ON v._event_id = r._repairs AND v._reporter = r._reporter
  WHERE r._action IN ('RPR', 'DEL') AND r._repairs IS NOT NULL
), fate AS (
  -- Whether each named version was a duplicate: a NEW whose record's version before it was live.
  SELECT n.repair_id, n.repair_action, n.named_id, n.event_date, n._roe_id,
    n.event_date IS NOT DISTINCT FROM n.repair_date AND n._roe_id IS NOT DISTINCT FROM n.repair_roe AS same_record,
    n._action = 'NEW' AND coalesce(arg_max(p._action, {'r': p._received_ns, 'e': p._event_id}), 'DEL') <> 'DEL' AS duplicate
  FROM named n LEFT JOIN visible p
    ON p._reporter = n._reporter AND p.event_date = n.event_date AND p._roe_id = n._roe_id
    AND (p._received_ns < n._received_ns OR (p._received_ns = n._received_ns AND p._event_id < n._event_id))
  GROUP BY n.repair_id, n.repair_action, n.named_id, n.event_date, n._roe_id, n.repair_date, n.repair_roe, n._action
), versions AS (
  SELECT v.*,
    -- A DEL by errorROEID belongs to the record of the version it names.
    CASE WHEN f.repair_action = 'DEL' THEN f.event_date ELSE v.event_date END AS _key_date,
    CASE WHEN f.repair_action = 'DEL' THEN f._roe_id ELSE v._roe_id END AS _key_roe,
    CASE WHEN f.repair_action = 'RPR' AND (NOT f.same_record OR f.duplicate) THEN 'NEW' ELSE v._action END AS _act
  FROM visible v LEFT JOIN fate f ON f.repair_id = v._event_id
  WHERE v._event_id NOT IN (SELECT named_id FROM fate)
    AND NOT coalesce(f.repair_action = 'DEL' AND f.duplicate, false)
)
SELECT * EXCLUDE (_rank, _prev_action, _act, _key_date, _key_roe) FROM (
  SELECT *, row_number() OVER (
    PARTITION BY _reporter, _key_date, _key_roe ORDER BY _received_ns DESC, _event_id DESC
  ) AS _rank
  FROM (
    SELECT *, lag(_act) OVER (
      PARTITION BY _reporter, _key_date, _key_roe ORDER BY _received_ns, _event_id
    ) AS _prev_action
    FROM versions
  )
  WHERE NOT (_act = 'NEW' AND _prev_action IS NOT NULL AND _prev_action <> 'DEL')
) WHERE _rank = 1 AND _act <> 'DEL';

-- The current version of every record: what regulators query.
CREATE OR REPLACE TEMP VIEW current_events AS
SELECT * FROM events_as_of(9223372036854775807);

-- Rejected records, with the codes sent back and the errorROEID a repair must name.
CREATE OR REPLACE TEMP VIEW rejects AS
SELECT r.* FROM {{REJECTS}} r JOIN files f ON f.file_id = r._file_id WHERE f.ingested_ns IS NOT NULL;
