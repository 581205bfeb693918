-- What the passes find, by node: the code, who receives it (the event's reporter, or for a named code the
-- counterparty the record names), and why in words with the best candidate counterparts (JSON).
CREATE OR REPLACE TABLE lk_findings (
  idx BIGINT,
  code INTEGER,
  -- Another event the finding is about (the other copy, the event linked from), named in the explanation
  -- where it says {other}.
  other BIGINT,
  recipient VARCHAR,
  named BOOLEAN,
  counterparty VARCHAR,
  explanation VARCHAR,
  candidates VARCHAR
);

-- Typed links between nodes; `pair` rows are routes matched to a modification (MEOM, EXOM), which
-- confirm the route without being an incoming link of the modification.
CREATE OR REPLACE TABLE lk_links (src BIGINT, dst BIGINT, kind VARCHAR, from_event_id UBIGINT, to_event_id UBIGINT);
CREATE OR REPLACE TABLE lk_pairs (
  route BIGINT, accept BIGINT, fam VARCHAR, edge BOOLEAN, route_ns BIGINT, accept_ns BIGINT,
  route_reporter VARCHAR, accept_reporter VARCHAR, route_event_id UBIGINT, accept_event_id UBIGINT
);
