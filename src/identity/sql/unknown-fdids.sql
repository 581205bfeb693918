-- Order events of one event date ({{DATE}}) naming an FDID that their firm had not reported in any
-- customer file ingested by the T+3 08:00 deadline ({{DEADLINE}}, ns): code {{CODE}}. Account dates are
-- not second-guessed: an FDID the firm reported at all counts as known. An order entered with FDID
-- PENDING is in error only when no supplement (MENOS) with the real FDID arrived by the deadline; the
-- supplement's FDID is checked like any other. EVENT_FDIDS: the FDIDs the date's current versions name
-- (event-fdids.sql over current_events_of the date).
SELECT ef._event_id, ef._reporter AS reporter, ef._roe_id AS roe_id, ef._type AS type, ef.event_date,
       ef.crd, ef.fdid, {{CODE}} AS code, {{NOW}}::BIGINT AS checked_ns
FROM {{EVENT_FDIDS}} ef
JOIN current_events_of({{DATE}}) e ON e._event_id = ef._event_id
WHERE ef.event_date = {{DATE}}
  AND CASE WHEN ef.fdid = 'PENDING' THEN NOT EXISTS (
        SELECT 1 FROM current_events s
        WHERE s._type = 'MENOS' AND s._reporter = ef._reporter AND s.orderID = e.orderID
          AND s.orderKeyDate = e.orderKeyDate AND s._received_ns <= {{DEADLINE}}
      )
      ELSE NOT EXISTS (
        SELECT 1 FROM cais_accounts a JOIN files f ON f.file_id = a.file_id
        WHERE a.crd = ef.crd AND a.fdid = ef.fdid AND f.ingested_ns <= {{DEADLINE}}
      )
  END
ORDER BY ef._event_id, ef.fdid
