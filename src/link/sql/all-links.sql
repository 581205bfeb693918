-- The date's links and route pairs: this run's, and an earlier run's into events this run left alone.
CREATE OR REPLACE TABLE lk_node_ids AS SELECT rowid AS idx, _event_id, delta FROM lk_nodes WHERE NOT gone;

CREATE OR REPLACE TABLE lk_all_links AS
SELECT src, dst, kind, from_event_id, to_event_id FROM lk_links
UNION ALL
SELECT f.idx, t.idx, p.kind, p.from_event_id, p.to_event_id
FROM lk_prev_links p
JOIN lk_node_ids t ON t._event_id = p.to_event_id
JOIN lk_node_ids f ON f._event_id = p.from_event_id
WHERE NOT t.delta
  -- A link this run made again (from an event it examined into a settled one) is counted once.
  AND NOT EXISTS (SELECT 1 FROM lk_links l
    WHERE l.from_event_id = p.from_event_id AND l.to_event_id = p.to_event_id AND l.kind = p.kind);

CREATE OR REPLACE TABLE lk_all_pairs AS
SELECT fam, edge, route_ns, accept_ns, route_reporter, accept_reporter, route_event_id, accept_event_id FROM lk_pairs
UNION ALL BY NAME
SELECT p.* FROM lk_prev_pairs p
WHERE p.route_event_id IN (SELECT _event_id FROM lk_node_ids WHERE NOT delta)
  AND p.accept_event_id IN (SELECT _event_id FROM lk_node_ids WHERE NOT delta);
DROP TABLE lk_node_ids;
