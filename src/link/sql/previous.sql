-- What an earlier run of this date left ({{PREV}}: its folder). Events it settled keep their links and
-- route pairs; events it left open, and the route partners of those, are examined again.
-- {{DECRYPTION}}: the store key's read option when the store is encrypted (store-cipher.ts), else nothing.
CREATE OR REPLACE TABLE lk_prev_links AS
SELECT DISTINCT from_event_id, to_event_id, kind, from_date FROM {{PREV_LINKS}};
CREATE OR REPLACE TABLE lk_prev_pairs AS
SELECT route_event_id, accept_event_id, fam, edge, route_reporter, accept_reporter, route_ns, accept_ns
FROM read_parquet('{{PREV}}/pairs.parquet'{{DECRYPTION}});
CREATE OR REPLACE TABLE lk_prev_nodes AS SELECT _event_id, open FROM read_parquet('{{PREV}}/nodes.parquet'{{DECRYPTION}});

CREATE OR REPLACE TABLE lk_settled AS
SELECT _event_id FROM lk_prev_nodes WHERE NOT open
EXCEPT
SELECT p.route_event_id FROM lk_prev_pairs p JOIN lk_prev_nodes n ON n._event_id = p.accept_event_id WHERE n.open
EXCEPT
SELECT p.accept_event_id FROM lk_prev_pairs p JOIN lk_prev_nodes n ON n._event_id = p.route_event_id WHERE n.open;
