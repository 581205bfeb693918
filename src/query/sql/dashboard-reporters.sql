-- The files received between two instants ($1, $2: ns, end excluded), by reporter: what arrived, what was
-- accepted and rejected, and what came late. Metadata files count as files; records are those of data files.
SELECT coalesce(reporter, '(unnamed)') AS reporter,
  count(*) AS files,
  count(*) FILTER (WHERE role = 'data') AS data_files,
  count(*) FILTER (WHERE status = 'rejected') AS files_rejected,
  coalesce(sum(records) FILTER (WHERE role = 'data'), 0) AS records,
  coalesce(sum(accepted) FILTER (WHERE role = 'data'), 0) AS accepted,
  coalesce(sum(rejected) FILTER (WHERE role = 'data'), 0) AS rejected,
  -- A rejected file's records never reach the store: all of them are in error.
  coalesce(sum(coalesce(records, expected_records)) FILTER (WHERE role = 'data' AND status = 'rejected'), 0)
    AS records_in_rejected_files,
  count(*) FILTER (WHERE role = 'data' AND late) AS late_files,
  coalesce(sum(records) FILTER (WHERE role = 'data' AND late), 0) AS late_records,
  coalesce(sum(size_bytes), 0) AS bytes
FROM files
WHERE received_ns >= $1 AND received_ns < $2
GROUP BY ALL
ORDER BY reporter
