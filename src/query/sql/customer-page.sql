-- One page of a customer's events. FOUND: customer-found.sql over the page's versions only (customer.ts
-- finds which from the range's order); EVENTS: customer-events.sql over them.
WITH found AS MATERIALIZED ({{FOUND}})
SELECT ({{EVENTS}}) AS events
