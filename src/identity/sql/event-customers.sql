-- Each event with the customers (CCIDs) behind its FDIDs as of the event date. FDIDS: rows of
-- event-fdids.sql; HOLDERS: fdid_holders, or its rows of the accounts those name (a placeholder named in a
-- comment is filled there too, so comments here name none).
SELECT ef.*, h.ccid, h.role
FROM {{FDIDS}} ef
JOIN {{HOLDERS}} h ON h.crd = ef.crd AND h.fdid = ef.fdid
  AND ef.event_date >= h.from_date AND (h.to_date IS NULL OR ef.event_date <= h.to_date)
