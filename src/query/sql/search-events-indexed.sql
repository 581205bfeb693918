-- What search-events.sql gives, from the date's identifier index instead of the store: {{BUCKET}} is the
-- scan of the index bucket holding the searched key ($2); each of its rows is one version carrying the key
-- in one field, so a record's versions are its distinct event ids. $1 (the date) and $3 (the limit) as there.
WITH versions AS (
  SELECT _reporter, _roe_id, event_date, _type, _event_ns, _ts_digits, _received_ns, _event_id, symbol,
    list(field) AS fields
  FROM {{BUCKET}}
  WHERE key = $2 AND event_date = $1
  GROUP BY ALL
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
