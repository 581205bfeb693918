-- The records of one event date ($1) that carry the searched key ($2) in one of their identifiers, at most
-- $3 of them. One scan of the date's partition reads only these identifier columns (each a Parquet column
-- of its own) and the few columns a hit shows. A record (reporter, date, record id) is one hit however many
-- of its versions match; its latest version names its type, time and symbol. {{MATCHES}}: a CASE naming the
-- field of each identifier a search matches (SEARCH_IDENTIFIERS in src/store/day-index.ts) that holds $2;
-- {{COLUMNS}}: their columns.
WITH versions AS (
  SELECT _reporter, _roe_id, event_date, _type, _event_ns, _ts_digits, _received_ns, _event_id, symbol,
    list_filter([{{MATCHES}}], f -> f IS NOT NULL) AS fields
  FROM events
  WHERE event_date = $1 AND $2 IN ({{COLUMNS}})
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
