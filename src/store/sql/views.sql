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
CREATE OR REPLACE TEMP MACRO events_as_of(t) AS TABLE
SELECT * EXCLUDE (_rank, _prev_action) FROM (
  SELECT *, row_number() OVER (
    PARTITION BY _reporter, event_date, _roe_id ORDER BY _received_ns DESC, _event_id DESC
  ) AS _rank
  FROM (
    SELECT *, lag(_action) OVER (
      PARTITION BY _reporter, event_date, _roe_id ORDER BY _received_ns, _event_id
    ) AS _prev_action
    FROM events_all
    WHERE _ingested_ns <= t AND (_deleted_ns IS NULL OR _deleted_ns > t)
  )
  WHERE NOT (_action = 'NEW' AND _prev_action IS NOT NULL AND _prev_action <> 'DEL')
) WHERE _rank = 1 AND _action <> 'DEL';

-- The current version of every record: what regulators query.
CREATE OR REPLACE TEMP VIEW current_events AS
SELECT * FROM events_as_of(9223372036854775807);

-- Rejected records, with the codes sent back and the errorROEID a repair must name.
CREATE OR REPLACE TEMP VIEW rejects AS
SELECT r.* FROM {{REJECTS}} r JOIN files f ON f.file_id = r._file_id WHERE f.ingested_ns IS NOT NULL;
