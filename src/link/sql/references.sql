-- Every key reference an event makes, one row each, for the events this run examines (delta): the key of
-- a secondary event (or the prior/parent key of a new-key event, or the route a MEMR/MECR changes), trade and fulfillment side orders,
-- aggregated client orders, and the manual order of an electronic duplicate. `kind` is the link it makes
-- when found (NULL: a check only); `code` the finding when it is not found. The referring event's time,
-- reporter and manual flag travel along for the sequence checks.

CREATE OR REPLACE TABLE lk_refs AS
WITH live AS (
  SELECT rowid AS idx, * FROM lk_nodes WHERE delta AND NOT rejected AND NOT prior
)
SELECT idx, k_ref AS k, kr_kind AS r_kind, ref_kind AS kind, 3501 AS code, kr_field AS field,
  kr_date AS r_date, kr_imid AS r_imid, kr_idh AS r_idh, (role = 'MEOMS' OR kr_kind IN ('R', 'RC')) AS to_own,
  _event_ns, manual, _reporter, role, agg, _event_id
FROM live WHERE k_ref IS NOT NULL
UNION ALL
SELECT idx, xb_k, 'X', 'execution', 3502, 'buyOrderID', event_date, _reporter, xb_idh, false, _event_ns, manual, _reporter, role, false, _event_id
FROM live WHERE xb_k IS NOT NULL
UNION ALL
SELECT idx, xs_k, 'X', 'execution', 3502, 'sellOrderID', event_date, _reporter, xs_idh, false, _event_ns, manual, _reporter, role, false, _event_id
FROM live WHERE xs_k IS NOT NULL
UNION ALL
SELECT idx, k_manual, 'O', NULL, 3505, 'manualOrderKey', km_date, _reporter, km_idh, false, _event_ns, manual, _reporter, role, false, _event_id
FROM live WHERE k_manual IS NOT NULL;

-- Trade and fulfillment side orders and aggregated client orders sit in the records' JSON composites,
-- read back from the store for those events only.
CREATE OR REPLACE TABLE lk_side_src AS
SELECT rowid AS idx, _event_id, _reporter, symbol, role, _event_ns, manual
FROM lk_nodes
WHERE (role IN ('MEOT', 'MEOTS', 'MEOF', 'MEOFS', 'MEFA') OR agg) AND delta AND NOT rejected AND NOT prior;
