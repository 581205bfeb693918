-- Linkage discovery, step 4 (IM spec §4.3): intrafirm. Each reference finds the event that established
-- its key; a supplement to a modification (MEOMS) finds the MEOM it supplements, the one nearest in time;
-- a route modification or cancellation (MEMR, MECR) the route it changes, the latest one before it.
CREATE OR REPLACE TABLE lk_est AS
SELECT rowid AS idx, k_self AS k, _event_ns, manual, _reporter, _event_id FROM lk_nodes WHERE k_self IS NOT NULL AND NOT rejected;

CREATE OR REPLACE TABLE lk_resolved AS
SELECT r.rowid AS rid, r.idx, r.kind, r.code, e.idx AS src,
  r._event_ns AS dst_ns, e._event_ns AS src_ns, r.manual OR coalesce(e.manual, false) AS manual,
  r._reporter AS reporter, r._reporter = e._reporter AS same_reporter, (r.kind = 'supplement' AND (r.role = 'MEOTS' OR r.agg)) AS timed_supplement,
  e._event_id AS src_event_id, r._event_id AS dst_event_id
FROM lk_refs r LEFT JOIN lk_est e ON e.k = r.k
WHERE NOT r.to_own;
DROP TABLE lk_est;

INSERT INTO lk_resolved
WITH own AS (
  SELECT rowid AS idx, k_own AS k, _event_ns, manual, _reporter, _event_id FROM lk_nodes WHERE k_own IS NOT NULL AND NOT rejected
), ranked AS (
  SELECT r.rowid AS rid, r.idx, r.kind, r.code, m.idx AS src, r._event_ns AS dst_ns, m._event_ns AS src_ns,
    r.manual OR coalesce(m.manual, false) AS manual, r._reporter AS reporter, r._reporter = m._reporter AS same_reporter, r.agg AS timed_supplement,
    m._event_id AS src_event_id, r._event_id AS dst_event_id,
    row_number() OVER (PARTITION BY r.rowid
      ORDER BY CASE WHEN r.role = 'MEOMS' THEN 0 ELSE (m._event_ns > r._event_ns)::INT END, abs(r._event_ns - m._event_ns), m.idx) AS n
  FROM lk_refs r LEFT JOIN own m ON m.k = r.k AND m.idx <> r.idx
  WHERE r.to_own
)
SELECT * EXCLUDE (n) FROM ranked WHERE n = 1;

INSERT INTO lk_links SELECT src, idx, kind, src_event_id, dst_event_id FROM lk_resolved WHERE src IS NOT NULL AND kind IS NOT NULL;

-- Out of sequence (3601): a secondary event earlier than the event it links from, beyond the clock
-- allowance of App. B (50 ms electronic, 1 s when either is manual). Only within one reporter.
INSERT INTO lk_findings
SELECT idx, 3601, src, reporter, false, NULL,
  'stamped ' || ((src_ns - dst_ns) / 1e6)::DECIMAL(18,3) || ' ms before {other}, the event it refers to', NULL
FROM lk_resolved
WHERE src IS NOT NULL AND same_reporter
  AND dst_ns < src_ns - CASE WHEN manual THEN {{MANUAL_NS}} ELSE {{ELECTRONIC_NS}} END;

-- Supplements that continue their event (more aggregated orders, another trade side) carry its
-- timestamp, compared to the millisecond (3602); a MENOS bringing a late FDID is sent later by nature.
INSERT INTO lk_findings
SELECT idx, 3602, src, reporter, false, NULL, 'eventTimestamp differs from that of {other}, the event it supplements (to the millisecond)', NULL
FROM lk_resolved
WHERE src IS NOT NULL AND timed_supplement AND dst_ns // 1000000 <> src_ns // 1000000;
