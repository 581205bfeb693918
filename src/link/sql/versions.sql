-- Which version of each record of {{NODES}} takes part: the latest, except that a NEW arriving while its
-- firmROEID is still live is a duplicate (3002 when it came on the same processing date as the version
-- before it, 3003 when later) and leaves the earlier versions standing. Superseded versions and deletes
-- are gone. The date's own records and those of earlier dates a day links to (prior.sql) are chosen by
-- this one rule; a record is its reporter, firmROEID and event date, as several dates may be present.

-- Repairs (RPR) and deletes (DEL) that name a version of this date by its errorROEID (the event id linkage
-- and FDID feedback give it), wherever they are stored (IM spec §7.6): the version named is retired. A DEL
-- naming a version that counted ends its record. An RPR stands under its own firmROEID like a NEW, unless
-- it keeps the id of the version it repairs and that version counted, when it replaces it as a COR would.
CREATE OR REPLACE TABLE lk_named AS
SELECT r._event_id AS repair_id, r._action AS repair_action, r._received_ns AS repair_ns,
  hash(r._reporter, r._roe_id) = n.vk AND r.event_date IS NOT DISTINCT FROM n.event_date AS same_record,
  n.rowid AS idx, n.vk, n.event_date, n._action, n._received_ns, n._event_id
FROM events_all r JOIN {{NODES}} n ON n._event_id = r._repairs AND n._reporter = r._reporter
WHERE r._action IN ('RPR', 'DEL') AND r._repairs IS NOT NULL AND NOT n.prior
  AND r._ingested_ns <= {{AS_OF}} AND (r._deleted_ns IS NULL OR r._deleted_ns > {{AS_OF}});

CREATE OR REPLACE TABLE lk_named_fate AS
SELECT m.repair_id, m.repair_action, m.repair_ns, m.same_record, m.idx, m.vk, m.event_date,
  m._action = 'NEW' AND coalesce(arg_max(p._action, {'r': p._received_ns, 'e': p._event_id}), 'DEL') <> 'DEL' AS duplicate
FROM lk_named m LEFT JOIN {{NODES}} p
  ON p.vk = m.vk AND p.event_date IS NOT DISTINCT FROM m.event_date AND NOT p.prior
  AND (p._received_ns < m._received_ns OR (p._received_ns = m._received_ns AND p._event_id < m._event_id))
GROUP BY m.repair_id, m.repair_action, m.repair_ns, m.same_record, m.idx, m.vk, m.event_date, m._action;
DROP TABLE lk_named;

CREATE OR REPLACE TABLE lk_retired AS
SELECT idx FROM lk_named_fate
UNION
SELECT n.rowid FROM {{NODES}} n JOIN lk_named_fate f ON n.vk = f.vk AND n.event_date IS NOT DISTINCT FROM f.event_date
WHERE f.repair_action = 'DEL' AND NOT f.duplicate AND NOT n.prior AND n._received_ns <= f.repair_ns;

UPDATE {{NODES}} SET gone = true, rejected = true WHERE rowid IN (SELECT idx FROM lk_retired);

-- Almost every record has one version: a self-join finds the few that have more far faster than grouping.
CREATE OR REPLACE TABLE lk_multi AS
WITH taking_part AS (
  SELECT rowid AS idx, vk, event_date, _event_id, _received_ns, pd,
    CASE WHEN _event_id IN (
      SELECT repair_id FROM lk_named_fate WHERE repair_action = 'RPR' AND (NOT same_record OR duplicate)
    ) THEN 'NEW' ELSE _action END AS _action
  FROM {{NODES}} WHERE NOT prior AND rowid NOT IN (SELECT idx FROM lk_retired)
)
SELECT a.idx, a.vk, a.event_date, a._event_id, a._action, a._received_ns, a.pd
FROM taking_part a SEMI JOIN taking_part b
  ON a.vk = b.vk AND a.event_date IS NOT DISTINCT FROM b.event_date AND a._event_id <> b._event_id;
DROP TABLE lk_named_fate;
DROP TABLE lk_retired;

CREATE OR REPLACE TABLE lk_version_fate AS
WITH ordered AS (
  SELECT *, lag(_action) OVER v AS prev_action, lag(pd) OVER v AS prev_pd
  FROM lk_multi
  WINDOW v AS (PARTITION BY vk, event_date ORDER BY _received_ns, _event_id)
), marked AS (
  SELECT *, (_action = 'NEW' AND prev_action IS NOT NULL AND prev_action <> 'DEL') AS dup FROM ordered
), live AS (
  SELECT *, row_number() OVER (PARTITION BY vk, event_date ORDER BY _received_ns DESC, _event_id DESC) AS r
  FROM marked WHERE NOT dup
)
SELECT idx, CASE WHEN prev_pd = pd THEN 3002 ELSE 3003 END AS code FROM marked WHERE dup
UNION ALL
SELECT idx, 0 AS code FROM live WHERE r > 1 OR _action = 'DEL';

UPDATE {{NODES}} SET gone = true, rejected = true
WHERE rowid IN (SELECT idx FROM lk_version_fate WHERE code = 0);
UPDATE {{NODES}} SET dup_code = f.code, rejected = true
FROM lk_version_fate f WHERE {{NODES}}.rowid = f.idx AND f.code <> 0;
DROP TABLE lk_multi;
DROP TABLE lk_version_fate;
