-- For every reference left unresolved: events of the same reporter establishing a key of the same kind
-- with the same id, ranked by how many of the other key fields (key date, symbol) match.
CREATE OR REPLACE TABLE lk_ref_cands AS
WITH u AS (
  SELECT r.rowid AS rid, r.idx, r.r_kind, r.r_date, r.r_imid, r.r_idh, n.symbol
  FROM lk_refs r JOIN lk_resolved x ON x.rid = r.rowid AND x.src IS NULL
  JOIN lk_nodes n ON n.rowid = r.idx
), e AS (
  SELECT rowid AS idx, k_kind, k_idh, _reporter, k_date, symbol FROM lk_nodes WHERE k_self IS NOT NULL AND NOT rejected
), c AS (
  SELECT u.rid, e.idx AS cand, u.r_date IS NOT DISTINCT FROM e.k_date AS date_eq, u.symbol IS NOT DISTINCT FROM e.symbol AS symbol_eq,
    e.k_date
  FROM u JOIN e ON e.k_idh = u.r_idh AND e._reporter = u.r_imid AND e.k_kind = u.r_kind
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY rid ORDER BY date_eq::INT + symbol_eq::INT DESC, cand) AS r FROM c
)
SELECT * EXCLUDE (r) FROM ranked WHERE r <= {{CANDIDATES}};
