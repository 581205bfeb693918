-- Side references (run only when lk_side_src has rows): one row per order a trade side, fulfillment side
-- or aggregated order names.
INSERT INTO lk_refs
WITH sides AS (
  SELECT s.*, e.buyDetails, e.sellDetails, e.clientDetails, e.firmDetails,
    CASE WHEN s.role IN ('MENO', 'MEOM', 'MENOS', 'MEOMS') THEN e.aggregatedOrders END AS aggregatedOrders
  FROM lk_side_src s JOIN lk_scan e ON e._event_id = s._event_id
), composites AS (
  SELECT *, 'buyDetails' AS field, buyDetails AS j FROM sides WHERE role IN ('MEOT', 'MEOTS') AND buyDetails IS NOT NULL
  UNION ALL SELECT *, 'sellDetails', sellDetails FROM sides WHERE role IN ('MEOT', 'MEOTS') AND sellDetails IS NOT NULL
  UNION ALL SELECT *, 'clientDetails', clientDetails FROM sides WHERE role IN ('MEOF', 'MEFA') AND clientDetails IS NOT NULL
  UNION ALL SELECT *, 'firmDetails', firmDetails FROM sides WHERE role IN ('MEOF', 'MEOFS', 'MEFA') AND firmDetails IS NOT NULL
  UNION ALL SELECT *, 'aggregatedOrders', aggregatedOrders FROM sides WHERE aggregatedOrders IS NOT NULL
), elements AS (
  SELECT idx, _event_id, _reporter, symbol, _event_ns, manual, field,
    unnest(from_json(j, '[{"orderID":"VARCHAR","orderKeyDate":"VARCHAR","originatingIMID":"VARCHAR"}]')) AS el
  FROM composites
), side_refs AS (
  SELECT idx, field, el.orderID AS r_id, TRY_CAST(el.orderKeyDate AS BIGINT) AS r_date,
    coalesce(el.originatingIMID, _reporter) AS r_imid, symbol, _event_ns, manual, _reporter, _event_id,
    CASE field WHEN 'aggregatedOrders' THEN NULL WHEN 'clientDetails' THEN 'fill' WHEN 'firmDetails' THEN 'fill'
      ELSE 'execution' END AS kind,
    CASE field WHEN 'aggregatedOrders' THEN 3504 WHEN 'clientDetails' THEN 3503 WHEN 'firmDetails' THEN 3503
      ELSE 3502 END AS code
  FROM elements WHERE el.orderID IS NOT NULL
)
SELECT idx, lk_key('O', r_date, r_imid, symbol, r_id), 'O', kind, code, field, r_date, r_imid, hash(r_id), false,
  _event_ns, manual, _reporter, NULL, false, _event_id
FROM side_refs;
