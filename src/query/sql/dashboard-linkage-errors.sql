-- Linkage errors of an event date's current run ($1) by the reporter sent them and the code.
SELECT recipient AS reporter, code, count(*) AS n
FROM linkage_findings
WHERE event_date = $1 AND severity = 'Error' AND NOT named
GROUP BY ALL
ORDER BY reporter, n DESC, code
