-- A page's events as one list, in time order (ties by version id). PAGE: rows of customer-found.sql.
SELECT list({_event_id: CAST(_event_id AS VARCHAR), _reporter: _reporter, _roe_id: _roe_id, _type: _type,
             event_ns: CAST(ns AS VARCHAR), event_date: event_date, symbol: symbol, side: side, price: price,
             quantity: quantity, fdid: fdid, ccid: ccid, key_num: key_num, lifecycle_ids: lifecycle_ids}
            ORDER BY ns, _event_id)
FROM {{PAGE}}
