-- Linkage discovery, step 1 (IM spec §4.3): duplicates. Everything rejected here takes no further part.

-- Duplicate NEWs of a live firmROEID, found while choosing versions (3002, 3003).
INSERT INTO lk_findings
SELECT rowid, dup_code, NULL, _reporter, false, NULL,
  'this firmROEID was already reported' ||
    CASE dup_code WHEN 3003 THEN ' on an earlier processing date' ELSE ' the same processing date' END ||
    '; a NEW does not replace a record (COR corrects one)',
  NULL
FROM lk_nodes WHERE dup_code IS NOT NULL AND NOT prior;

-- Full duplicates (399): the same content under another firmROEID. A signature of the keys and time finds
-- candidates; the stored records' whole content confirms them.
CREATE OR REPLACE TABLE lk_sig AS
SELECT rowid AS idx, _event_id, _received_ns, hash(_reporter, _type, _event_ns, symbol, k_self, k_ref, rk, k_manual) AS sig
FROM lk_nodes WHERE NOT rejected AND NOT prior;

CREATE OR REPLACE TABLE lk_sig_cand AS
SELECT a.idx, a._event_id, a._received_ns
FROM lk_sig a SEMI JOIN lk_sig b ON a.sig = b.sig AND a.idx <> b.idx;
DROP TABLE lk_sig;

CREATE OR REPLACE TABLE lk_full_dups AS
WITH content AS (
  SELECT c.idx, c._received_ns, c._event_id, {{CONTENT_HASH}} AS h
  FROM lk_sig_cand c JOIN lk_scan e USING (_event_id)
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY h ORDER BY _received_ns, _event_id) AS r,
    first(idx) OVER (PARTITION BY h ORDER BY _received_ns, _event_id) AS kept
  FROM content
)
SELECT idx, kept FROM ranked WHERE r > 1;

INSERT INTO lk_findings
SELECT d.idx, 399, d.kept, n._reporter, false, NULL, 'identical to {other}, received earlier; the first copy is kept', NULL
FROM lk_full_dups d JOIN lk_nodes n ON n.rowid = d.idx;
UPDATE lk_nodes SET rejected = true WHERE rowid IN (SELECT idx FROM lk_full_dups);
DROP TABLE lk_sig_cand;
DROP TABLE lk_full_dups;

-- Event keys established twice (3004 order, 3010 trade, 3012 fulfillment, 3016 quote, 3018 manual order).
-- Every record sharing the key is rejected when they came the same processing date; a record arriving on
-- a later processing date than the first holder of its key gets the prior-day code and is rejected alone.
CREATE OR REPLACE TABLE lk_keyed AS
SELECT rowid AS idx, k_self AS k, pd,
  CASE k_kind WHEN 'O' THEN 3004 WHEN 'X' THEN 3004 WHEN 'T' THEN 3010 WHEN 'XT' THEN 3010
    WHEN 'F' THEN 3012 WHEN 'Q' THEN 3016 WHEN 'XQ' THEN 3016 END AS code
FROM lk_nodes WHERE k_self IS NOT NULL AND NOT rejected AND NOT prior
UNION ALL
SELECT rowid, hash(k_manual, 'M'), pd, 3018
FROM lk_nodes WHERE k_manual IS NOT NULL AND role IN ('MENO', 'MEOA') AND NOT rejected AND NOT prior;

CREATE OR REPLACE TABLE lk_key_dups AS
SELECT a.idx, a.code, a.pd, min(b.pd) AS other_pd, min(b.idx) AS other, count(*) AS others
FROM lk_keyed a JOIN lk_keyed b ON a.k = b.k AND a.idx <> b.idx
GROUP BY a.idx, a.code, a.pd;
DROP TABLE lk_keyed;

-- Route linkage keys used twice on one side (3008); modifications that reuse a routedOrderID on purpose
-- (dupROIDCond, MEOM, EXOM) are not duplicates.
CREATE OR REPLACE TABLE lk_route_keyed AS
SELECT rowid AS idx, hash(rk, rk_side) AS k, pd, 3008 AS code
FROM lk_nodes WHERE rk IS NOT NULL AND NOT rt_mod AND NOT rejected AND NOT prior
  AND rowid NOT IN (SELECT idx FROM lk_key_dups WHERE other_pd <= pd);

INSERT INTO lk_key_dups
SELECT a.idx, a.code, a.pd, min(b.pd), min(b.idx), count(*)
FROM lk_route_keyed a JOIN lk_route_keyed b ON a.k = b.k AND a.idx <> b.idx
GROUP BY a.idx, a.code, a.pd;
DROP TABLE lk_route_keyed;

-- A record only rejected by the prior-day rule leaves the first holder of the key standing.
DELETE FROM lk_key_dups WHERE other_pd > pd;

INSERT INTO lk_findings
SELECT d.idx, CASE WHEN d.other_pd < d.pd THEN d.code + CASE d.code WHEN 3004 THEN 3 WHEN 3012 THEN 3 ELSE 1 END ELSE d.code END,
  d.other, n._reporter, false, NULL,
  CASE d.code
    WHEN 3004 THEN 'order key' WHEN 3010 THEN 'trade key' WHEN 3012 THEN 'fulfillment key' WHEN 3016 THEN 'quote key'
    WHEN 3018 THEN 'manual order key' ELSE 'route linkage key'
  END || ' also used by {other}' ||
    CASE WHEN d.others > 1 THEN ' and ' || (d.others - 1) || ' more' ELSE '' END ||
    CASE WHEN d.other_pd < d.pd THEN ', received on an earlier processing date' ELSE '' END,
  NULL
FROM lk_key_dups d JOIN lk_nodes n ON n.rowid = d.idx;
UPDATE lk_nodes SET rejected = true WHERE rowid IN (SELECT idx FROM lk_key_dups);
DROP TABLE lk_key_dups;
