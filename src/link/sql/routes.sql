-- Linkage discovery, steps 5-6 (IM spec §4.3, §3): routes between reporters. A route (MEOR, EXOR) pairs
-- with the record that received it on the route linkage key: its accept (MEOA, EXOA) or, for a
-- modification sent on, the receiver's MEOM or EXOM (a pair whose `edge` is false).
CREATE OR REPLACE TABLE lk_rs AS
SELECT rowid AS idx, rk, rk_fam, rt_mod, _event_ns, _reporter, _event_id FROM lk_nodes
WHERE rk_side = 'S' AND rk IS NOT NULL AND delta AND NOT rejected AND NOT prior;
CREATE OR REPLACE TABLE lk_ra AS
SELECT rowid AS idx, rk, rk_fam, rt_mod, _event_ns, _reporter, _event_id FROM lk_nodes
WHERE rk_side = 'R' AND rk IS NOT NULL AND delta AND NOT rejected AND NOT prior;

-- Plain routes and accepts: their keys are unique on each side (duplicates were rejected).
INSERT INTO lk_pairs
SELECT s.idx, a.idx, s.rk_fam, true, s._event_ns, a._event_ns, s._reporter, a._reporter, s._event_id, a._event_id
FROM lk_rs s JOIN lk_ra a ON a.rk = s.rk
WHERE NOT s.rt_mod AND NOT a.rt_mod;

-- Modifications that reuse a routedOrderID pair in time order; then plain routes left over pair with
-- modifications left over (a modification sent on under a new routedOrderID).
CREATE OR REPLACE TABLE lk_rs_left AS
SELECT * FROM lk_rs WHERE rt_mod OR idx NOT IN (SELECT route FROM lk_pairs);
CREATE OR REPLACE TABLE lk_ra_left AS
SELECT * FROM lk_ra WHERE rt_mod;

INSERT INTO lk_pairs
WITH s AS (
  SELECT *, row_number() OVER (PARTITION BY rk ORDER BY _event_ns, idx) AS n FROM lk_rs_left WHERE rt_mod
), a AS (
  SELECT *, row_number() OVER (PARTITION BY rk ORDER BY _event_ns, idx) AS n FROM lk_ra_left
)
SELECT s.idx, a.idx, s.rk_fam, false, s._event_ns, a._event_ns, s._reporter, a._reporter, s._event_id, a._event_id
FROM s JOIN a ON a.rk = s.rk AND a.n = s.n;

INSERT INTO lk_pairs
WITH s AS (
  SELECT *, row_number() OVER (PARTITION BY rk ORDER BY _event_ns, idx) AS n
  FROM lk_rs_left WHERE NOT rt_mod
), a AS (
  SELECT *, row_number() OVER (PARTITION BY rk ORDER BY _event_ns, idx) AS n
  FROM lk_ra_left WHERE idx NOT IN (SELECT accept FROM lk_pairs)
)
SELECT s.idx, a.idx, s.rk_fam, false, s._event_ns, a._event_ns, s._reporter, a._reporter, s._event_id, a._event_id
FROM s JOIN a ON a.rk = s.rk AND a.n = s.n;

-- Every pair of a route and what received it is an `accept` link, a received modification's too (besides
-- its `modify`). Quotes belong to no lifecycle: their pairs are not links.
INSERT INTO lk_links SELECT route, accept, 'accept', route_event_id, accept_event_id FROM lk_pairs WHERE fam <> 'Q';

-- Routes and receivers left without a counterpart, where one is expected: a route rejected by its
-- destination (routeRejectedFlag) expects none; foreign and manual routes without routedOrderID carry no key.
CREATE OR REPLACE TABLE lk_unpaired AS
SELECT idx FROM (SELECT idx FROM lk_rs UNION ALL SELECT idx FROM lk_ra)
WHERE idx NOT IN (SELECT route FROM lk_pairs UNION ALL SELECT accept FROM lk_pairs);
DELETE FROM lk_unpaired WHERE idx IN (SELECT rowid FROM lk_nodes WHERE route_rejected AND rk_side = 'S');
-- So does a route its sender reported rejected afterwards, in a supplement (MEORS, MEMRS), and a routed
-- quote (MERQS, MLQS).
DELETE FROM lk_unpaired WHERE idx IN (
  SELECT x.src FROM lk_resolved x JOIN lk_nodes n ON n.rowid = x.idx
  WHERE x.kind = 'supplement' AND x.src IS NOT NULL AND n.route_rejected AND n.role IN ('MEORS', 'MEMRS', 'MERQS'));
DROP TABLE lk_rs; DROP TABLE lk_ra; DROP TABLE lk_rs_left; DROP TABLE lk_ra_left;
