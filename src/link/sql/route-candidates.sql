-- For every route or receiver left unpaired: the records on the other side with the same routedOrderID
-- (IM spec §4.3: CAT looks for the counterpart by routedOrderID, then says which field differs), ranked by
-- how many of the other key fields match and then by nearness in time. Fields compare by hash.
CREATE OR REPLACE TABLE lk_route_cands AS
WITH u AS (
  SELECT n.rowid AS idx, n.rk_side, n.rk_fam, n.rid_h, n.snd_h, n.rcv_h, n.ses_h, n.symbol, n._event_ns
  FROM lk_nodes n WHERE n.rowid IN (SELECT idx FROM lk_unpaired)
), o AS (
  SELECT rowid AS idx, _event_id, rk_side, rk_fam, rid_h, snd_h, rcv_h, ses_h, symbol, _event_ns
  FROM lk_nodes WHERE rid_h IS NOT NULL AND NOT rejected AND NOT prior
), c AS (
  SELECT u.idx, o.idx AS cand,
    u.snd_h IS NOT DISTINCT FROM o.snd_h AS sender_eq,
    u.rcv_h IS NOT DISTINCT FROM o.rcv_h AS receiver_eq,
    u.symbol IS NOT DISTINCT FROM o.symbol AS symbol_eq,
    u.ses_h IS NOT DISTINCT FROM o.ses_h AS session_eq,
    (o.idx IN (SELECT route FROM lk_pairs UNION ALL SELECT accept FROM lk_pairs)
      OR o._event_id IN (SELECT route_event_id FROM lk_prev_pairs UNION ALL SELECT accept_event_id FROM lk_prev_pairs))
      AS paired,
    abs(o._event_ns - u._event_ns) AS dt
  FROM u JOIN o ON o.rid_h = u.rid_h AND o.rk_fam = u.rk_fam AND o.rk_side <> u.rk_side
), ranked AS (
  SELECT *, row_number() OVER (
    PARTITION BY idx
    ORDER BY sender_eq::INT + receiver_eq::INT + symbol_eq::INT + session_eq::INT DESC, paired, dt, cand
  ) AS r FROM c
)
SELECT * EXCLUDE (r) FROM ranked WHERE r <= {{CANDIDATES}};
