-- Keys of earlier event dates (IM spec §4.1: orderKeyDate may precede the event date, as for a GTC order
-- cancelled days later). lk_prior_all holds the earlier dates' records; only those establishing a key
-- this date refers to, or that an earlier run of this date linked from, join the nodes, with the
-- lifecycle their own date's linkage gave them. Which versions of them take part was settled by
-- versions.sql, the rule the date's own records follow: a version retired by a repair or delete naming its
-- errorROEID, superseded, deleted or a duplicate is not linked to.
CREATE OR REPLACE TABLE lk_prior_want AS
SELECT DISTINCT k FROM lk_refs WHERE r_kind IN ('O', 'T', 'F', 'Q') AND r_date < {{DAY_START}} AND k IS NOT NULL
UNION
SELECT DISTINCT k_self FROM lk_nodes
WHERE k_kind IN ('O', 'T', 'F', 'Q') AND k_date < {{DAY_START}} AND NOT prior AND NOT rejected;

INSERT INTO lk_nodes BY NAME
WITH hit AS (
  SELECT * FROM lk_prior_all
  WHERE NOT rejected AND (k_self IN (SELECT k FROM lk_prior_want) OR _event_id IN (SELECT from_event_id FROM lk_prev_links))
)
SELECT l.* EXCLUDE (prior, delta, rejected, prior_date, prior_num), true AS prior, false AS delta, false AS rejected,
  m.lc_date AS prior_date, m.lc_num AS prior_num
FROM hit l
LEFT JOIN (SELECT DISTINCT ON (_event_id) _event_id, lc_date, lc_num FROM linkage_member_ids ORDER BY _event_id, lc_num) m
  ON m._event_id = l._event_id
WHERE l._event_id NOT IN (SELECT _event_id FROM lk_nodes);

-- A key an earlier date already established, established again today: the prior-day code for today's
-- record alone (3007 order, 3011 trade, 3015 fulfillment, 3017 quote).
CREATE OR REPLACE TABLE lk_prior_dups AS
SELECT t.rowid AS idx, t.k_kind, p.rowid AS other
FROM lk_nodes t JOIN lk_nodes p ON p.k_self = t.k_self AND p.prior AND NOT t.prior AND NOT t.rejected;

INSERT INTO lk_findings
SELECT d.idx, CASE d.k_kind WHEN 'O' THEN 3007 WHEN 'T' THEN 3011 WHEN 'F' THEN 3015 ELSE 3017 END, d.other, n._reporter, false,
  NULL, 'key already established on an earlier date by {other}', NULL
FROM lk_prior_dups d JOIN lk_nodes n ON n.rowid = d.idx;
UPDATE lk_nodes SET rejected = true WHERE rowid IN (SELECT idx FROM lk_prior_dups);
DROP TABLE lk_prior_dups;
DROP TABLE lk_prior_all;
DROP TABLE lk_prior_want;
