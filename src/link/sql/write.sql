-- A run's results (events of earlier dates, linked from, stay in their own date's files). The lookup files
-- (members, keys, links) are split into {{BUCKETS}} hash buckets, so a lookup reads one bucket: members and
-- links by lifecycle number, keys by the hash of reporter and record id. They hold numbers only; the
-- events' text stays in the event store. Members are written here, unsorted; keys and links, which every
-- lookup reads, sorted within each bucket like the lookup index (lookup-keys.sql, lookup-links.sql).
-- {{ENCRYPTION}}: the store key's options when the store is encrypted (store-cipher.ts), else nothing.
COPY (
  SELECT lc_num % {{BUCKETS}} AS bucket, lc_date, lc_num, first = 1 AS first, eid AS _event_id FROM lk_life WHERE member = 1 AND NOT prior
  UNION ALL
  SELECT lc_num % {{BUCKETS}}, lc_date, lc_num, false, eid FROM lk_extra WHERE NOT prior
) TO '{{DIR}}/members' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (bucket), FILENAME_PATTERN 'part{i}'{{ENCRYPTION}});

COPY (
  SELECT s._event_id, s._reporter AS subject_reporter, s._roe_id AS subject_roe_id, s._type AS subject_type,
    f.recipient, f.code, c.severity, c.linkage_type, f.named, f.counterparty,
    replace(f.explanation, '{other}', coalesce(o._type || ' ' || o._roe_id || ' of ' || o._reporter, 'another event')) AS explanation,
    f.candidates
  FROM lk_findings f JOIN lk_text s ON s.idx = f.idx LEFT JOIN lk_text o ON o.idx = f.other LEFT JOIN lk_codes c ON c.code = f.code
  ORDER BY f.recipient, f.code, s._event_id
) TO '{{DIR}}/findings.parquet' (FORMAT parquet, COMPRESSION zstd{{ENCRYPTION}});

COPY (
  SELECT route_event_id, accept_event_id, fam, edge, route_reporter, accept_reporter, route_ns, accept_ns FROM lk_all_pairs
) TO '{{DIR}}/pairs.parquet' (FORMAT parquet, COMPRESSION zstd{{ENCRYPTION}});

COPY (SELECT * FROM lk_drift ORDER BY reporter) TO '{{DIR}}/drift.parquet' (FORMAT parquet{{ENCRYPTION}});

-- Events to look at again when a late file arrives: those with a finding (duplicates are found afresh
-- every run), routes or receivers still without their counterpart, and trade reports no Trade event
-- matched (their findings are named ones).
COPY (
  SELECT _event_id,
    NOT rejected AND (
      rowid IN (SELECT idx FROM lk_findings WHERE NOT named AND code NOT IN (399, 3002, 3003, 3004, 3007, 3008, 3009, 3010,
        3011, 3012, 3015, 3016, 3017, 3018, 3019))
      OR (rk IS NOT NULL AND _event_id NOT IN (SELECT route_event_id FROM lk_all_pairs UNION ALL SELECT accept_event_id FROM lk_all_pairs))
      OR rowid IN (SELECT idx FROM lk_trf_open)
    ) AS open
  FROM lk_nodes WHERE NOT prior AND NOT gone
) TO '{{DIR}}/nodes.parquet' (FORMAT parquet, COMPRESSION zstd{{ENCRYPTION}});
