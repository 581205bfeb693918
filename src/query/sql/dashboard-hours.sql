-- Files and records received per hour between two instants ($1, $2: ns, end excluded); $1 is the day's
-- midnight Eastern Time, so the hour is the Eastern wall-clock hour (a day of a clock change has 23 or 25).
SELECT CAST((received_ns - $1) // 3600000000000 AS INTEGER) AS hour,
  count(*) AS files,
  coalesce(sum(records) FILTER (WHERE role = 'data'), 0) AS records
FROM files
WHERE received_ns >= $1 AND received_ns < $2
GROUP BY ALL
ORDER BY hour
