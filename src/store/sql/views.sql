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
-- Repairs naming a version are few: they are gathered once per connection (and again whenever the views
-- are refreshed after an ingestion), with filters the Parquet reader prunes files by (a version's file id
-- is its event id's high half), so that reading the store at an instant scans it only once. {{REPAIRS}}
-- is false when the store holds no RPR or DEL naming an errorROEID at all: then nothing is looked up.
CREATE OR REPLACE TEMP TABLE _named_versions AS
WITH repairs AS MATERIALIZED (
  SELECT _event_id AS repair_id, _action AS repair_action, _ingested_ns, _deleted_ns, _reporter, _repairs,
    event_date, _roe_id
  FROM events_all WHERE _action IN ('RPR', 'DEL') AND _repairs IS NOT NULL
), named AS MATERIALIZED (
  SELECT r.repair_id, r.repair_action, r._ingested_ns, r._deleted_ns,
    r.event_date IS NOT DISTINCT FROM v.event_date AND r._roe_id IS NOT DISTINCT FROM v._roe_id AS same_record,
    v._event_id AS named_id, v._reporter, v.event_date, v._roe_id, v._action, v._received_ns
  FROM repairs r JOIN events_all v
    ON v._file_id = (r._repairs >> 32)::BIGINT AND v._event_id = r._repairs AND v._reporter = r._reporter
), earlier AS (
  -- The versions of each named version's record received before it.
  SELECT n.named_id, arg_max(p._action, {'r': p._received_ns, 'e': p._event_id}) AS action
  FROM named n JOIN events_all p ON p._roe_id = n._roe_id AND p._reporter = n._reporter AND p.event_date = n.event_date
  WHERE p._received_ns < n._received_ns OR (p._received_ns = n._received_ns AND p._event_id < n.named_id)
  GROUP BY n.named_id
)
-- Whether each named version was a duplicate: a NEW whose record's version before it was live.
SELECT n.repair_id, n.repair_action, n._ingested_ns, n._deleted_ns, n.named_id, n.event_date, n._roe_id,
  n.same_record, n._action = 'NEW' AND coalesce(e.action, 'DEL') <> 'DEL' AS duplicate
FROM named n LEFT JOIN earlier e USING (named_id)
WHERE {{REPAIRS}};

-- _versions_as_of(t, d): that, for the records of event date d only, or of every date when d is NULL. A
-- record's versions all have its key date, so the windows below see all of them when only its key date is
-- read: the date's own partition of the store, and the few deletes by errorROEID that name a version of
-- the date from another. A reader of one date then reads that date, not the whole store.
CREATE OR REPLACE TEMP MACRO _versions_as_of(t, d) AS TABLE
SELECT * EXCLUDE (_rank, _prev_action, _act, _key_date, _key_roe) FROM (
  SELECT *, row_number() OVER (
    PARTITION BY _reporter, _key_date, _key_roe ORDER BY _received_ns DESC, _event_id DESC
  ) AS _rank
  FROM (
    SELECT *, lag(_act) OVER (
      PARTITION BY _reporter, _key_date, _key_roe ORDER BY _received_ns, _event_id
    ) AS _prev_action
    FROM (
      SELECT v.*,
        -- A DEL by errorROEID belongs to the record of the version it names.
        CASE WHEN f.repair_action = 'DEL' THEN f.event_date ELSE v.event_date END AS _key_date,
        CASE WHEN f.repair_action = 'DEL' THEN f._roe_id ELSE v._roe_id END AS _key_roe,
        CASE WHEN f.repair_action = 'RPR' AND (NOT f.same_record OR f.duplicate) THEN 'NEW' ELSE v._action END AS _act
      FROM (
        SELECT * FROM events_all WHERE d IS NULL
        UNION ALL
        SELECT * FROM events_all WHERE event_date = d
        UNION ALL
        SELECT * FROM events_all WHERE d IS NOT NULL AND {{REPAIRS}} AND event_date IS DISTINCT FROM d
          AND _event_id IN (SELECT repair_id FROM _named_versions WHERE repair_action = 'DEL' AND event_date = d)
      ) v
      LEFT JOIN (SELECT * FROM _named_versions
                 WHERE _ingested_ns <= t AND (_deleted_ns IS NULL OR _deleted_ns > t)) f ON f.repair_id = v._event_id
      LEFT JOIN (SELECT DISTINCT named_id FROM _named_versions
                 WHERE _ingested_ns <= t AND (_deleted_ns IS NULL OR _deleted_ns > t)) x ON x.named_id = v._event_id
      WHERE v._ingested_ns <= t AND (v._deleted_ns IS NULL OR v._deleted_ns > t) AND x.named_id IS NULL
        AND NOT coalesce(f.repair_action = 'DEL' AND f.duplicate, false)
    ) WHERE d IS NULL OR _key_date = d
  )
  WHERE NOT (_act = 'NEW' AND _prev_action IS NOT NULL AND _prev_action <> 'DEL')
) WHERE _rank = 1 AND _act <> 'DEL';

CREATE OR REPLACE TEMP MACRO events_as_of(t) AS TABLE
SELECT * FROM _versions_as_of(t, NULL);

-- The current version of every record: what regulators query.
CREATE OR REPLACE TEMP VIEW current_events AS
SELECT * FROM events_as_of(9223372036854775807);

-- The current versions of one event date (YYYYMMDD): current_events WHERE event_date = d, reading only
-- what that date's records need.
CREATE OR REPLACE TEMP MACRO current_events_of(d) AS TABLE
SELECT * FROM _versions_as_of(9223372036854775807, d) WHERE event_date = d;

-- Rejected records, with the codes sent back and the errorROEID a repair must name.
CREATE OR REPLACE TEMP VIEW rejects AS
SELECT r.* FROM {{REJECTS}} r JOIN files f ON f.file_id = r._file_id WHERE f.ingested_ns IS NOT NULL;
