-- Which version of each record takes part: the latest, except that a NEW arriving while its firmROEID is
-- still live is a duplicate (3002 when it came on the same processing date as the version before it,
-- 3003 when later) and leaves the earlier versions standing. Superseded versions and deletes are gone.
-- Almost every record has one version: a self-join finds the few that have more far faster than grouping.
CREATE OR REPLACE TABLE lk_multi AS
SELECT a.rowid AS idx, a.vk, a._event_id, a._action, a._received_ns, a.pd
FROM lk_nodes a SEMI JOIN lk_nodes b ON a.vk = b.vk AND a._event_id <> b._event_id
WHERE NOT a.prior;

CREATE OR REPLACE TABLE lk_version_fate AS
WITH ordered AS (
  SELECT *, lag(_action) OVER v AS prev_action, lag(pd) OVER v AS prev_pd
  FROM lk_multi
  WINDOW v AS (PARTITION BY vk ORDER BY _received_ns, _event_id)
), marked AS (
  SELECT *, (_action = 'NEW' AND prev_action IS NOT NULL AND prev_action <> 'DEL') AS dup FROM ordered
), live AS (
  SELECT *, row_number() OVER (PARTITION BY vk ORDER BY _received_ns DESC, _event_id DESC) AS r
  FROM marked WHERE NOT dup
)
SELECT idx, CASE WHEN prev_pd = pd THEN 3002 ELSE 3003 END AS code FROM marked WHERE dup
UNION ALL
SELECT idx, 0 AS code FROM live WHERE r > 1 OR _action = 'DEL';

UPDATE lk_nodes SET gone = true, rejected = true
WHERE rowid IN (SELECT idx FROM lk_version_fate WHERE code = 0);
UPDATE lk_nodes SET dup_code = f.code, rejected = true
FROM lk_version_fate f WHERE lk_nodes.rowid = f.idx AND f.code <> 0;
DROP TABLE lk_multi;
DROP TABLE lk_version_fate;
