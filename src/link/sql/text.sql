-- The text of the events in lk_text_want (node index), read back from the store: what explanations,
-- findings and feedback show. One scan of the date, kept to the wanted rows.
CREATE OR REPLACE TABLE lk_text AS
WITH want AS (
  SELECT DISTINCT w.idx, n._event_id, n.late FROM lk_text_want w JOIN lk_nodes n ON n.rowid = w.idx WHERE NOT n.prior
)
SELECT w.idx, e._event_id, e._reporter, e._roe_id, e._type, e._event_ns, e._ts_digits, e._file_id, e._line,
  coalesce(e.symbol, e.optionID) AS symbol, e.side, e.price::VARCHAR AS price, e.quantity::VARCHAR AS quantity,
  e.senderIMID, e.receiverIMID, e.destination, e.routedOrderID, e."session", e.routingParty, e.exchange, e.capacity,
  CASE WHEN e._type IN ('MEOR', 'MOOR', 'MLOR', 'MEMR', 'MOMR', 'MLMR') THEN e.senderIMID WHEN e._type = 'EXOR' THEN e._reporter
    WHEN e._type IN ('EXOA', 'EXOM', 'EXCA') THEN e.routingParty ELSE e.senderIMID END AS r_sender,
  CASE WHEN e._type IN ('MEOR', 'MOOR', 'MLOR', 'MEMR', 'MOMR', 'MLMR', 'MENQ', 'MERQ', 'MORQ', 'MLRQ') THEN e.destination WHEN e._type = 'EXOR' THEN e.routingParty
    WHEN e._type IN ('EXOA', 'EXOM', 'EXCA') THEN e._reporter ELSE e.receiverIMID END AS r_receiver,
  e.orderID, e.priorOrderID, e.parentOrderID, e.tradeID, e.fulfillmentID, e.priorFulfillmentID, e.quoteID, e.manualOrderID,
  e.buyOrderID, e.sellOrderID, e.buyDetails, e.sellDetails, e.clientDetails, e.firmDetails, e.aggregatedOrders,
  e.marketCenterID, e.tapeTradeID, e.rptngExctgMPID, e.rptngCapacity, e.rptngSideCode, e.contraExctgMPID,
  e.contraCapacity, e.contraSideCode, e.routedQuoteID, e.receivedQuoteID, e.bidPrice::VARCHAR AS bidPrice,
  e.bidQty::VARCHAR AS bidQty, e.askPrice::VARCHAR AS askPrice, e.askQty::VARCHAR AS askQty, e.priorRoutedOrderID,
  -- Received after its deadline: the late and early warnings depend on it.
  w.late
FROM want w JOIN lk_scan e ON e._event_id = w._event_id
UNION ALL
-- Events of earlier dates: what their node and the lookback kept.
SELECT DISTINCT n.rowid, n._event_id, n._reporter, coalesce(p._roe_id, '?'), n._type, n._event_ns, coalesce(p._ts_digits, 9),
  NULL, NULL, n.symbol, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n.late
FROM lk_text_want w JOIN lk_nodes n ON n.rowid = w.idx LEFT JOIN lk_prior_text p ON p.idx = n.rowid WHERE n.prior;

-- The id each unresolved reference names, in words (the passes only kept its hash).
CREATE OR REPLACE TABLE lk_ref_text AS
WITH u AS (
  SELECT x.rid, r.field, r.r_kind, r.r_idh, t.*
  FROM lk_resolved x JOIN lk_refs r ON r.rowid = x.rid JOIN lk_text t ON t.idx = r.idx
  WHERE x.src IS NULL
), json_ids AS (
  SELECT rid, r_idh, unnest(from_json(CASE field WHEN 'buyDetails' THEN buyDetails WHEN 'sellDetails' THEN sellDetails
    WHEN 'clientDetails' THEN clientDetails WHEN 'firmDetails' THEN firmDetails ELSE aggregatedOrders END,
    '[{"orderID":"VARCHAR"}]')).orderID AS oid
  FROM u WHERE field IN ('buyDetails', 'sellDetails', 'clientDetails', 'firmDetails', 'aggregatedOrders')
)
SELECT rid, CASE field
    WHEN 'own' THEN CASE r_kind WHEN 'T' THEN tradeID WHEN 'F' THEN fulfillmentID WHEN 'Q' THEN quoteID ELSE orderID END
    WHEN 'prior' THEN CASE r_kind WHEN 'F' THEN priorFulfillmentID ELSE priorOrderID END
    WHEN 'parent' THEN parentOrderID WHEN 'manualOrderKey' THEN manualOrderID
    WHEN 'buyOrderID' THEN buyOrderID WHEN 'sellOrderID' THEN sellOrderID
    WHEN 'route' THEN routedOrderID WHEN 'priorRoute' THEN priorRoutedOrderID
  END AS r_id
FROM u WHERE field NOT IN ('buyDetails', 'sellDetails', 'clientDetails', 'firmDetails', 'aggregatedOrders')
UNION ALL
SELECT rid, min(oid) FROM json_ids WHERE hash(oid) = r_idh GROUP BY rid;
