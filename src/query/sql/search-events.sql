-- The records of one event date ($1) that carry the searched key ($2) in one of their identifiers, at most
-- $3 of them. One scan of the date's partition reads only these identifier columns (each a Parquet column
-- of its own) and the few columns a hit shows. A record (reporter, date, record id) is one hit however many
-- of its versions match; its latest version names its type, time and symbol.
WITH versions AS (
  SELECT _reporter, _roe_id, event_date, _type, _event_ns, _ts_digits, _received_ns, _event_id, symbol,
    list_filter([
      CASE WHEN _roe_id = $2 THEN 'firmROEID' END,
      CASE WHEN orderID = $2 THEN 'orderID' END,
      CASE WHEN priorOrderID = $2 THEN 'priorOrderID' END,
      CASE WHEN routedOrderID = $2 THEN 'routedOrderID' END,
      CASE WHEN parentOrderID = $2 THEN 'parentOrderID' END,
      CASE WHEN buyOrderID = $2 THEN 'buyOrderID' END,
      CASE WHEN sellOrderID = $2 THEN 'sellOrderID' END,
      CASE WHEN tradeID = $2 THEN 'tradeID' END,
      CASE WHEN tapeTradeID = $2 THEN 'tapeTradeID' END,
      CASE WHEN quoteID = $2 THEN 'quoteID' END,
      CASE WHEN routedQuoteID = $2 THEN 'routedQuoteID' END,
      CASE WHEN receivedQuoteID = $2 THEN 'receivedQuoteID' END,
      CASE WHEN fulfillmentID = $2 THEN 'fulfillmentID' END
    ], f -> f IS NOT NULL) AS fields
  FROM events
  WHERE event_date = $1 AND $2 IN (_roe_id, orderID, priorOrderID, routedOrderID, parentOrderID, buyOrderID,
    sellOrderID, tradeID, tapeTradeID, quoteID, routedQuoteID, receivedQuoteID, fulfillmentID)
)
SELECT _reporter AS reporter, _roe_id AS firm_roe_id, event_date,
  list_sort(list_distinct(flatten(list(fields)))) AS fields,
  arg_max(_type, (_received_ns, _event_id)) AS type,
  arg_max(_event_ns, (_received_ns, _event_id))::VARCHAR AS event_ns,
  arg_max(_ts_digits, (_received_ns, _event_id)) AS ts_digits,
  arg_max(symbol, (_received_ns, _event_id)) AS symbol,
  count(*) AS versions,
  (hash(_reporter, _roe_id) >> 1)::BIGINT::VARCHAR AS key_num
FROM versions
GROUP BY _reporter, _roe_id, event_date
ORDER BY min(_event_ns), _reporter, _roe_id
LIMIT $3
