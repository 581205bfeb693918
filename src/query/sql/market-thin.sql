-- A market window's rows thinned for a chart of {{SPANS}} spans over the window {{FROM}}..{{TO}} (ns), the
-- rule of market-thin.ts: a series with more than {{PER_SPAN}} rows per span keeps, in each span, its first
-- and last row, the first rows at the span's highest and lowest {{BID}} and {{ASK}}, and the first without
-- either, and every row whose {{STATE}} differs from the row before it; a series with fewer keeps every row.
-- Each row keeps its columns and gains `_total`, the rows of its series. ROWS: the relation of every row;
-- SERIES: the column naming a row's series (a constant for one series); ORDER: the order of rows within a
-- nanosecond; STATE: the market state a row puts in force (a constant where none is kept).
-- Rows are numbered once in time order (_i); each span's picks are then aggregates over its numbers, the
-- earliest winning ties (a struct compares its fields in order), rather than a sort per pick.
WITH r AS (
  SELECT *,
    {{SERIES}} AS _series,
    least(greatest(((ns - {{FROM}}) * {{SPANS}}) // ({{TO}} - {{FROM}} + 1), 0), {{SPANS}} - 1) AS _span,
    row_number() OVER (PARTITION BY {{SERIES}} ORDER BY ns, {{ORDER}}) AS _i,
    count(*) OVER (PARTITION BY {{SERIES}}) AS _total,
    {{STATE}} IS DISTINCT FROM lag({{STATE}}) OVER (PARTITION BY {{SERIES}} ORDER BY ns, {{ORDER}}) AS _changed
  FROM {{ROWS}}
),
_span_picks AS (
  SELECT _series, [
    min(_i), max(_i),
    arg_max(_i, struct_pack(v := {{BID}}, i := -_i)) FILTER (WHERE {{BID}} IS NOT NULL),
    arg_min(_i, struct_pack(v := {{BID}}, i := _i)) FILTER (WHERE {{BID}} IS NOT NULL),
    min(_i) FILTER (WHERE {{BID}} IS NULL),
    arg_max(_i, struct_pack(v := {{ASK}}, i := -_i)) FILTER (WHERE {{ASK}} IS NOT NULL),
    arg_min(_i, struct_pack(v := {{ASK}}, i := _i)) FILTER (WHERE {{ASK}} IS NOT NULL),
    min(_i) FILTER (WHERE {{ASK}} IS NULL)
  ] AS picks
  FROM r WHERE _total > {{PER_SPAN}} * {{SPANS}} GROUP BY _series, _span
),
_picked AS (SELECT DISTINCT _series, unnest(picks) AS _i FROM _span_picks)
SELECT r.* EXCLUDE (_series, _span, _i, _changed)
FROM r LEFT JOIN _picked p ON p._series = r._series AND p._i = r._i
WHERE r._total <= {{PER_SPAN}} * {{SPANS}} OR r._changed OR p._i IS NOT NULL
