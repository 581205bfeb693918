-- Linkage discovery, step 7 (IM spec §4.1, §4.3): trade reports. A Trade event reported to a FINRA facility
-- (MEOT with a tapeTradeID and a TRF, ADF or ORF marketCenterID) links to the facility's trade report (TRFT)
-- on the TRF linkage key: marketCenterID and tapeTradeID name the report; the execution time, the symbol
-- and the firm (the report's reporting or contra MPID) must agree. Times compare to the millisecond, the
-- finest every facility keeps.
CREATE OR REPLACE TABLE lk_trf AS
WITH src AS (
  SELECT _event_id, _type = 'TRFT' AS report, marketCenterID AS mc, tapeTradeID AS tid,
    coalesce(symbol, optionID) AS sym, _event_ns // 1000000 AS ms, quantity, price,
    CASE WHEN _type = 'TRFT' THEN rptngExctgMPID ELSE coalesce(originatingIMID, _reporter) END AS party,
    CASE WHEN _type = 'TRFT' THEN contraExctgMPID END AS contra
  FROM lk_scan
  WHERE _type = 'TRFT'
    OR (_type IN ('MEOT', 'MOOT') AND tapeTradeID IS NOT NULL AND marketCenterID IN ('DN', 'D', 'L', 'DC', 'O'))
)
SELECT n.rowid AS idx, n.delta, s.* FROM src s JOIN lk_nodes n ON n._event_id = s._event_id
WHERE NOT n.rejected AND NOT n.prior;

-- Every trade and report that share the key, with what agrees.
CREATE OR REPLACE TABLE lk_trf_cands AS
SELECT t.idx AS trade, r.idx AS report, t.delta OR r.delta AS fresh, t._event_id AS trade_event_id,
  r._event_id AS report_event_id, t.ms = r.ms AS time_eq, t.sym = r.sym AS symbol_eq,
  coalesce(t.party = r.party OR t.party = r.contra, false) AS firm_eq
FROM lk_trf t JOIN lk_trf r ON r.report AND NOT t.report AND r.mc = t.mc AND r.tid = t.tid;

INSERT INTO lk_links
SELECT trade, report, 'report', trade_event_id, report_event_id FROM lk_trf_cands
WHERE fresh AND time_eq AND symbol_eq AND firm_eq;

-- Trades and reports of this run left without their counterpart (an earlier run's link counts).
CREATE OR REPLACE TABLE lk_trf_open AS
SELECT idx, report FROM lk_trf
WHERE delta
  AND idx NOT IN (SELECT trade FROM lk_trf_cands WHERE time_eq AND symbol_eq AND firm_eq)
  AND idx NOT IN (SELECT report FROM lk_trf_cands WHERE time_eq AND symbol_eq AND firm_eq)
  AND _event_id NOT IN (SELECT from_event_id FROM lk_prev_links WHERE kind = 'report')
  AND _event_id NOT IN (SELECT to_event_id FROM lk_prev_links WHERE kind = 'report');

-- For an open trade whose tapeTradeID names no report: reports of the same firm, symbol, quantity and price
-- within a second, most likely the one it meant.
CREATE OR REPLACE TABLE lk_trf_near AS
SELECT t.idx AS trade, r.idx AS report, abs(r.ms - t.ms) AS dt
FROM lk_trf_open o
JOIN lk_trf t ON t.idx = o.idx
JOIN lk_trf r ON r.report AND r.sym = t.sym AND (r.party = t.party OR r.contra = t.party)
  AND r.quantity = t.quantity AND r.price = t.price AND abs(r.ms - t.ms) <= 1000
WHERE NOT o.report AND o.idx NOT IN (SELECT trade FROM lk_trf_cands);
