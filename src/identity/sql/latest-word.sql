-- What the firm said last about each account: every CAIS file restates the firm's accounts, so the latest
-- file that mentions an account (crd, fdid) decides its holders and large trader IDs. ROWS: rows of
-- cais_holders or cais_ltids, or of some accounts only (the rule looks at each account's rows alone, so
-- keeping to some accounts before it gives their rows of the whole table's answer).
SELECT * EXCLUDE (_rank) FROM (
  SELECT *, dense_rank() OVER (PARTITION BY crd, fdid ORDER BY received_ns DESC, file_id DESC) AS _rank FROM {{ROWS}}
) WHERE _rank = 1
