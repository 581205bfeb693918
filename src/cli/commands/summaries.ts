/**
 * Each command's one-line summary, in the order `opencat --help` lists them: the overview prints these
 * without loading any command's module (each loads only when its command runs).
 */
export const SUMMARIES = {
  demo: 'Simulate a trading day and run it through the whole pipeline (npm start)',
  simulate: 'Simulate a trading day: CAT submission files, reference data and the truth they encode',
  init: 'Create a repository from reference data (reporters, symbols, calendar)',
  submit: 'Submit data, metadata, exchange and customer files (or folders of them) to a repository',
  link: 'Link the lifecycles of one event date and write linkage feedback',
  reindex: "Bring linked dates' day indexes up to date (after an upgrade or an interrupted run)",
  search:
    'Find anything by one key: lifecycle id, firmROEID, order/routed order/trade id, symbol, reporter, FDID/CCID/LTID',
  browse: "A day's events in time order, by symbol, reporter and time window (ET), page by page",
  lifecycle: 'Show the lifecycle of an order: every event and link across firms and venues',
  'report-card':
    "A reporter's error rate for a processing date (records in error ÷ records, by stage and code: integrity, ingestion, linkage, late), before and after repairs, against the maximum",
  'verify-receipt': 'Check a submission receipt (or, with --log, the whole file log) against the repository',
  audit:
    'Verify the access log: unbroken chain, signed checkpoints, and the signed head outside the repository',
  sql: "Run one read-only SELECT over the store's views (no PII, no writes), limited in rows and time, logged",
  extract: "A day's current events (optionally one symbol or reporter) as a Parquet or CSV file, logged",
  customer:
    "A customer's accounts at every broker and every order and trade, with lifecycle IDs, page by page",
  bluesheet: "A symbol's executions over a date range, grouped by customer (CCID) and broker",
  surveil:
    'Run the market-abuse detectors over a linked date and store the alerts; score them against planted abuse',
  book: "A venue's order book for a symbol at any instant (price levels, best first)",
  nbbo: 'The NBBO of a symbol at an instant; with an order (reporter + firmROEID), whether it was marketable',
  replay:
    'Market reconstruction: every order event, route, execution and NBBO change of some symbols in a window',
  market:
    "A symbol's market over a window: NBBO band, each venue's best bid and offer, trades, crossed/locked spells",
  import: "Import a LOBSTER message file as a venue's exchange events (through intake, like any submission)",
  export: "Export a venue's rebuilt book events of a symbol and date as LOBSTER message and orderbook files",
  reference:
    'Load new reference data (reporters, submitters, symbols, options series, calendar) into a repository',
  keys: "Rotate the CCID key (re-keying every customer), the vault master key (re-wrapping every sealed file), the store master key (re-wrapping the store's data key) or the data key (rewriting the store); protect the master keys with a passphrase or a key command",
  user: "The repository's accounts: add people (password + TOTP) or machines (tokens), grant roles and scopes, disable, reset, list, check a sign-in",
  token: "Create an API token for a user (printed once, stored only as a hash) or revoke a user's tokens",
  serve: 'Start the regulator portal (web UI and JSON API, HTTPS) on a repository',
  catalogue: 'Show the event catalogue: event types, or the fields of one event',
} as const
