-- A customer's current versions of one date from the day index's customer index (SCAN: the buckets of the
-- customer's FDIDs; FDIDS: those FDIDs as literals), as the store's path finds them: a version names an
-- account by its own firmDesignatedID (source 0), or, for a trade or a trade's allocation (MEOT, MEPA), by
-- its buy or sell side's (1, 2), the first of those in that order that is one of the FDIDs (`source`); with its
-- firm's CRD, its record's linkage key (KEY_NUM) and its lifecycle ids (LIFECYCLES: the index's, when
-- they are of the date's current linkage run, else NULL and looked up in that run). ONLY: nothing, or a
-- condition keeping to some versions (`AND _event_id IN (…)`).
SELECT c._event_id, c._reporter, c._roe_id, c._type, c.event_ns, c.event_date, c.symbol, c.side, c.price,
  c.quantity, CAST(i.crd AS VARCHAR) AS crd, {{KEY_NUM}}::VARCHAR AS key_num, c.fdid, c.source,
  {{LIFECYCLES}} AS lifecycle_ids
FROM (
  SELECT * FROM {{SCAN}}
  WHERE fdid IN ({{FDIDS}}) AND (source = 0 OR _type IN ('MEOT', 'MEPA')) {{ONLY}}
  QUALIFY row_number() OVER (PARTITION BY _event_id ORDER BY source) = 1
) c
JOIN ref_imids i ON i.imid = c._reporter AND c.event_date BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
