-- The linked day the detectors read: every event of the date with its lifecycle, each lifecycle's
-- originating order (MENO) with the customer behind it, and the executions each lifecycle took part in.
-- {{DATE}} is the event date (YYYYMMDD).

-- Shares and prices stay exact decimals (DECIMAL(18,6), DECIMAL(18,8)); only ratios become doubles. A
-- reason shows them without trailing zeros.
CREATE OR REPLACE TEMP MACRO sv_num(x) AS
  CASE WHEN contains(x::VARCHAR, '.') THEN rtrim(rtrim(x::VARCHAR, '0'), '.') ELSE x::VARCHAR END;

-- Every event of the date in each lifecycle it belongs to (an execution is in both sides' lifecycles).
CREATE OR REPLACE TEMP TABLE sv_events AS
SELECT k.lifecycle_id, e._event_id, e._type, e._reporter, e._roe_id, e._event_ns, e.symbol, e.side,
  e.quantity, e.price, e.firmDesignatedID AS fdid,
  e.accountHolderType AS holder_type, e.aggressorSide AS aggressor_side, e.orderID AS order_id
FROM linkage_keys k JOIN current_events e ON e._event_id = k._event_id
WHERE k.event_date = {{DATE}} AND e.event_date = {{DATE}};

-- The customer (CCID) behind each account, as of the date; an account whose holder's period does not
-- cover the date still names the holder the firm's latest customer file gives it (a late or misdated
-- CAIS start should not hide a customer), and an account no customer file knows stands for itself.
CREATE OR REPLACE TEMP TABLE sv_accounts AS
SELECT i.imid AS reporter, h.fdid,
  coalesce(min(h.ccid) FILTER (WHERE {{DATE}} >= h.from_date AND (h.to_date IS NULL OR {{DATE}} <= h.to_date)),
           min(h.ccid)) AS ccid
FROM fdid_holders h JOIN ref_imids i ON i.crd = h.crd
  AND {{DATE}} BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
WHERE h.role = 'HOLDER' OR h.role IS NULL
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE sv_ltids AS
SELECT i.imid AS reporter, l.fdid, min(l.ltid) AS ltid
FROM fdid_ltids l JOIN ref_imids i ON i.crd = l.crd
  AND {{DATE}} BETWEEN i.from_date AND coalesce(i.to_date, 99991231)
WHERE {{DATE}} >= coalesce(l.from_date, 0) AND (l.to_date IS NULL OR {{DATE}} <= l.to_date)
GROUP BY ALL;

-- Each lifecycle's originating order: who entered it, for whom, and what became of it.
CREATE OR REPLACE TEMP TABLE sv_orders AS
WITH ends AS (
  SELECT lifecycle_id,
    min(_event_ns) FILTER (WHERE _type IN ('MEOC', 'MECOC', 'EXOC')) AS cancelled_ns,
    min(_event_ns) FILTER (WHERE _type IN ('MEOR', 'MEIR', 'MECO')) AS routed_ns,
    sum(quantity) FILTER (WHERE _type IN ('EXOT', 'MEOT')) AS filled
  FROM sv_events GROUP BY lifecycle_id
)
SELECT o.lifecycle_id, o._event_id, o._reporter AS reporter, o._roe_id AS roe_id, o.symbol,
  CASE WHEN o.side = 'B' THEN 'B' ELSE 'S' END AS side, o.quantity, o.price, o._event_ns AS entered_ns,
  o.fdid, o.holder_type, a.ccid, l.ltid,
  coalesce(a.ccid, o._reporter || ':' || o.fdid) AS who,
  e.cancelled_ns, e.routed_ns, coalesce(e.filled, 0) AS filled
FROM sv_events o
LEFT JOIN sv_accounts a ON a.reporter = o._reporter AND a.fdid = o.fdid
LEFT JOIN sv_ltids l ON l.reporter = o._reporter AND l.fdid = o.fdid
LEFT JOIN ends e ON e.lifecycle_id = o.lifecycle_id
WHERE o._type = 'MENO';

-- Each execution once per side, with the order of that side.
CREATE OR REPLACE TEMP TABLE sv_fills AS
SELECT x._event_id, x._type, x._reporter AS venue, x._roe_id, x._event_ns, x.symbol, x.quantity, x.price,
  x.aggressor_side, o.lifecycle_id, o.side, o.who, o.ccid, o.ltid, o.reporter, o.fdid, o.roe_id, o.holder_type,
  o.entered_ns
FROM sv_events x JOIN sv_orders o USING (lifecycle_id)
WHERE x._type IN ('EXOT', 'MEOT');
