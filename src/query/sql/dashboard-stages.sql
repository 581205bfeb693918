-- How long each stage took for the files received between two instants ($1, $2: ns, end excluded): from a
-- file's receipt to the feedback of the stage (its latest one, for a file sent feedback twice), in seconds.
WITH received AS (
  SELECT file_id, received_ns FROM files WHERE received_ns >= $1 AND received_ns < $2
),
done AS (
  SELECT f.file_id, f.stage, max(f.completed_ns) AS completed_ns, bool_or(f.status = 'Failure') AS failed
  FROM feedback f JOIN received r USING (file_id)
  GROUP BY ALL
)
SELECT d.stage,
  count(*) AS files,
  count(*) FILTER (WHERE d.failed) AS failures,
  quantile_cont((d.completed_ns - r.received_ns) / 1e9, 0.5) AS median_seconds,
  quantile_cont((d.completed_ns - r.received_ns) / 1e9, 0.95) AS p95_seconds,
  max((d.completed_ns - r.received_ns) / 1e9) AS max_seconds
FROM done d JOIN received r USING (file_id)
GROUP BY ALL
ORDER BY min(d.completed_ns - r.received_ns)
