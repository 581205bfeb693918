-- A market window's rows thinned for a chart of {{SPANS}} spans over the window {{FROM}}..{{TO}} (ns), the
-- rule of market-thin.ts: a series with more than {{PER_SPAN}} rows per span keeps, in each span, its first
-- and last row, the first rows at the span's highest and lowest {{BID}} and {{ASK}}, and the first without
-- either, and every row whose {{STATE}} differs from the row before it; a series with fewer keeps every row.
-- Each row keeps its columns and gains `_total`, the rows of its series. ROWS: the relation of every row;
-- SERIES: the columns naming a row's series (a constant for one series); ORDER: the order of rows within a
-- nanosecond; STATE: the market state a row puts in force (a constant where none is kept).
WITH r AS (
  SELECT *,
    least(greatest(((ns - {{FROM}}) * {{SPANS}}) // ({{TO}} - {{FROM}} + 1), 0), {{SPANS}} - 1) AS _span,
    count(*) OVER (PARTITION BY {{SERIES}}) AS _total,
    {{STATE}} IS DISTINCT FROM lag({{STATE}}) OVER (PARTITION BY {{SERIES}} ORDER BY ns, {{ORDER}}) AS _changed
  FROM {{ROWS}}
),
k AS (
  SELECT *,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY ns, {{ORDER}}) AS _first,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY ns DESC, {{ORDER}} DESC) AS _last,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY {{BID}} DESC NULLS LAST, ns, {{ORDER}}) AS _bid_high,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY {{BID}} ASC NULLS LAST, ns, {{ORDER}}) AS _bid_low,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY {{BID}} IS NOT NULL, ns, {{ORDER}}) AS _bid_none,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY {{ASK}} DESC NULLS LAST, ns, {{ORDER}}) AS _ask_high,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY {{ASK}} ASC NULLS LAST, ns, {{ORDER}}) AS _ask_low,
    row_number() OVER (PARTITION BY {{SERIES}}, _span ORDER BY {{ASK}} IS NOT NULL, ns, {{ORDER}}) AS _ask_none
  FROM r
)
SELECT * EXCLUDE (_span, _changed, _first, _last, _bid_high, _bid_low, _bid_none, _ask_high, _ask_low, _ask_none)
FROM k
WHERE _total <= {{PER_SPAN}} * {{SPANS}} OR _first = 1 OR _last = 1 OR _changed
  OR ({{BID}} IS NOT NULL AND (_bid_high = 1 OR _bid_low = 1)) OR ({{BID}} IS NULL AND _bid_none = 1)
  OR ({{ASK}} IS NOT NULL AND (_ask_high = 1 OR _ask_low = 1)) OR ({{ASK}} IS NULL AND _ask_none = 1)
