-- A full run: nothing settled before.
CREATE OR REPLACE TABLE lk_prev_links (from_event_id UBIGINT, to_event_id UBIGINT, kind VARCHAR, from_date INTEGER);
CREATE OR REPLACE TABLE lk_prev_pairs (
  route_event_id UBIGINT, accept_event_id UBIGINT, fam VARCHAR, edge BOOLEAN, route_reporter VARCHAR,
  accept_reporter VARCHAR, route_ns BIGINT, accept_ns BIGINT
);
CREATE OR REPLACE TABLE lk_prev_nodes (_event_id UBIGINT, open BOOLEAN);
CREATE OR REPLACE TABLE lk_settled (_event_id UBIGINT);
