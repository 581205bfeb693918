-- Marking the close: in the last {{WINDOW_NS}} ns before the close ({{CLOSE_NS}}), a customer's orders
-- that take liquidity on one side of a symbol, {{MIN_ORDERS}} or more of them, carrying at least
-- {{MIN_VOLUME_SHARE}} of the symbol's volume in that window, and the symbol's last print before the close
-- beyond their average price (above it for buys, below for sells): they moved the closing price.
INSERT INTO sv_alerts
WITH late AS (
  SELECT * FROM sv_fills
  WHERE _event_ns >= {{CLOSE_NS}} - {{WINDOW_NS}} AND _event_ns < {{CLOSE_NS}}
), volume AS (
  SELECT symbol, sum(quantity) AS shares, arg_max(price, {'t': _event_ns, 'e': _event_id}) AS last_price
  FROM (SELECT DISTINCT _event_id, symbol, quantity, price, _event_ns FROM late) GROUP BY symbol
), taken AS (
  SELECT who, symbol, side, count(DISTINCT lifecycle_id) AS orders, count(DISTINCT _event_id) AS executions,
    sum(quantity) AS shares, min(_event_ns) AS from_ns, max(_event_ns) AS to_ns,
    sum(price::DOUBLE * quantity::DOUBLE) / sum(quantity::DOUBLE) AS average_price,
    list(DISTINCT reporter ORDER BY reporter) AS brokers,
    list(DISTINCT {'reporter': reporter, 'fdid': fdid, 'ccid': ccid}) AS participants,
    list(DISTINCT {'reporter': reporter, 'firmROEID': roe_id, 'lifecycle': lifecycle_id})
      || list(DISTINCT {'reporter': venue, 'firmROEID': _roe_id, 'lifecycle': lifecycle_id}) AS events
  FROM late WHERE aggressor_side = side
  GROUP BY ALL
)
SELECT 'marking-close', t.symbol, t.from_ns, t.to_ns,
  least(1.0, 0.5 * t.orders / ({{MIN_ORDERS}} * 2.0) + 0.5 * t.shares::DOUBLE / v.shares::DOUBLE),
  t.participants, t.events,
  printf('%d orders (threshold %d) of one customer through %s took liquidity on the %s side in the last %.0f minutes before the close: %d executions, %s shares, %.0f%% of the symbol''s volume then (threshold %.0f%%), at %.4f on average; the last print before the close was %s (%+.2f%%)',
    t.orders, {{MIN_ORDERS}}, array_to_string(t.brokers, ', '), CASE WHEN t.side = 'B' THEN 'buy' ELSE 'sell' END,
    {{WINDOW_NS}} / 6e10, t.executions, sv_num(t.shares), 100.0 * t.shares::DOUBLE / v.shares::DOUBLE, 100.0 * {{MIN_VOLUME_SHARE}},
    t.average_price, sv_num(v.last_price), 100 * (v.last_price - t.average_price) / t.average_price)
FROM taken t JOIN volume v USING (symbol)
WHERE t.orders >= {{MIN_ORDERS}} AND t.shares::DOUBLE >= {{MIN_VOLUME_SHARE}} * v.shares::DOUBLE
  AND CASE WHEN t.side = 'B' THEN v.last_price > t.average_price ELSE v.last_price < t.average_price END;
