/**
 * OpenCAT's own failures (not reporters' mistakes, which are CAT findings): one class, one registry of
 * codes. Codes are never reused; each has a row in docs/errors.md (a test checks both ways).
 */

/** Every OpenCAT failure code, with what it means and how to fix it. */
export const OCAT_ERRORS = {
  OCAT_ERR_CLI_USAGE: {
    status: 400,
    what: 'The command line is not valid',
    fix: 'Run the command with --help.',
  },
  OCAT_ERR_CLI_UNKNOWN_COMMAND: {
    status: 400,
    what: 'No such command',
    fix: 'Run `opencat --help` for the list.',
  },
  OCAT_ERR_SYS_BZIP2_MISSING: {
    status: 500,
    what: 'The bzip2 program is not installed',
    fix: 'Install it (Debian: apt-get install -y bzip2).',
  },
  OCAT_ERR_SYS_BZIP2_FAILED: { status: 500, what: 'bzip2 failed', fix: 'See the message; check disk space.' },
  OCAT_ERR_SIM_OPTIONS: {
    status: 400,
    what: 'Simulation options are not valid',
    fix: 'See `opencat simulate --help`.',
  },
  OCAT_ERR_REPO_NOT_FOUND: {
    status: 404,
    what: 'The folder is not an OpenCAT repository',
    fix: 'Create one with `opencat init --repo DIR --reference REFDIR`.',
  },
  OCAT_ERR_REPO_EXISTS: {
    status: 409,
    what: 'The folder already holds a repository or other files',
    fix: 'Choose an empty or new folder.',
  },
  OCAT_ERR_REPO_VERSION: {
    status: 500,
    what: 'The repository was written by an incompatible OpenCAT version',
    fix: 'Use the OpenCAT version that created it.',
  },
  OCAT_ERR_REFERENCE_INVALID: {
    status: 400,
    what: 'Reference data (reporters, symbols, calendar) is not valid',
    fix: 'Fix the files listed in the message; docs/formats/reference.md describes them.',
  },
  OCAT_ERR_REPO_LOCKED: {
    status: 409,
    what: 'Another process holds the repository lock for too long',
    fix: 'Wait for the other command to finish, or remove a stale lock only if no OpenCAT process runs.',
  },
  OCAT_ERR_REPO_STORAGE: {
    status: 507,
    what: "The repository's disk refused a write (full, read-only or not permitted)",
    fix: 'Free space or make the repository writable, then run the same command again: what was acknowledged is kept and the run resumes.',
  },
  OCAT_ERR_INPUT_NOT_FOUND: {
    status: 404,
    what: 'An input file or folder does not exist',
    fix: 'Check the path.',
  },
  OCAT_ERR_ENGINE_MEMORY: {
    status: 503,
    what: 'The engine needed more memory than its limit (OPENCAT_MEMORY_LIMIT, or 80 % of the machine) and stopped the command',
    fix: 'Raise OPENCAT_MEMORY_LIMIT (or leave it unset) and run the command again: a stage that stopped left its earlier results as they were, and resumes.',
  },
  OCAT_ERR_NOT_FOUND: {
    status: 404,
    what: 'What was asked for is not in the repository',
    fix: 'Check the key.',
  },
  OCAT_ERR_BAD_IDENTIFIER: {
    status: 400,
    what: 'A venue, reporter, symbol, date or file name is not of a form OpenCAT accepts',
    fix: 'Give the identifier as the reference data spells it (docs/formats/reference.md); dates as YYYYMMDD.',
  },
  OCAT_ERR_KEYS: {
    status: 500,
    what: 'The repository keys (CCID key, vault master key) are missing or unreadable',
    fix: 'Point --keys (or OPENCAT_KEYS) at the key folder made by `opencat init` (by default DIR-keys beside the repository).',
  },
  OCAT_ERR_STORE_KEY: {
    status: 500,
    what: "The store's data key is missing or does not open the encrypted Parquet store or catalogue (wrong key folder, a rotated-away key, or a plain file in an encrypted store)",
    fix: 'Point --keys (or OPENCAT_KEYS) at the key folder made by `opencat init` for this repository; after an interrupted `opencat keys rotate --kind store-data`, run it again.',
  },
  OCAT_ERR_KEY_LOCKED: {
    status: 500,
    what: 'The master keys are protected by a passphrase or a key command that was not given',
    fix: 'Set OPENCAT_KEY_PASSPHRASE, OPENCAT_KEY_PASSPHRASE_FILE (or pass --passphrase-file), or OPENCAT_KEY_COMMAND.',
  },
  OCAT_ERR_KEY_PASSPHRASE: {
    status: 500,
    what: 'The passphrase or the key command does not open the master keys (or is not acceptable)',
    fix: 'Give the passphrase the keys were protected with (`opencat keys protect`); a key command must print 64 hex digits.',
  },
  OCAT_ERR_PII_NOT_ENTITLED: {
    status: 403,
    what: 'Revealing customer PII needs the pii entitlement and a reason',
    fix: 'Ask an operator to grant the pii entitlement (`opencat user grant NAME --role regulator --role pii`); give --reason.',
  },
  OCAT_ERR_LOBSTER_INVALID: {
    status: 400,
    what: 'A LOBSTER message or orderbook file has lines that are not LOBSTER',
    fix: 'Check the lines named in the message; files must be unchanged LOBSTER output.',
  },
  OCAT_ERR_ACCOUNT_EXISTS: {
    status: 409,
    what: 'A user of that name exists already',
    fix: 'Choose another name, or change the existing account with `opencat user grant` or `opencat user reset`.',
  },
  OCAT_ERR_ACCOUNT_NOT_FOUND: {
    status: 404,
    what: 'No such user or token in the account store',
    fix: 'List the accounts and their token ids with `opencat user list --repo DIR`.',
  },
  OCAT_ERR_ACCOUNTS_TAMPERED: {
    status: 500,
    what: "The account store's signature does not verify: it was changed outside OpenCAT",
    fix: 'Restore accounts/accounts.json from a backup (or remove it and add the accounts again); find out who could write it.',
  },
  OCAT_ERR_AUTH_REFUSED: {
    status: 401,
    what: 'Sign-in or API token refused (unknown, wrong, revoked, expired, disabled or locked out)',
    fix: 'Check the credentials; an operator can reset a person (`opencat user reset`) or create a new token.',
  },
  OCAT_ERR_AUTH_FORBIDDEN: {
    status: 403,
    what: 'The identity may not do this (its roles or scopes do not allow it)',
    fix: 'Ask an operator to grant the role (`opencat user grant`), or use an identity that holds it.',
  },
  OCAT_ERR_SQL_REFUSED: {
    status: 400,
    what: "The SQL is not one read-only SELECT over the store's views (a write, SET, ATTACH, or a file outside the store)",
    fix: 'Send a single SELECT or WITH … SELECT over the views listed in docs/formats/repository.md.',
  },
  OCAT_ERR_SQL_FAILED: {
    status: 400,
    what: 'The SQL does not parse or bind, or failed while running',
    fix: 'See the engine message; `SELECT * FROM duckdb_views()` lists what can be read.',
  },
  OCAT_ERR_SQL_TIMEOUT: {
    status: 408,
    what: 'The query ran past its time limit and was stopped',
    fix: 'Narrow the query (dates, symbols, reporters) or raise --timeout.',
  },
  OCAT_ERR_SQL_MEMORY: {
    status: 400,
    what: 'The query needed more memory (and temporary disk) than it may use, and was stopped',
    fix: 'Narrow the query (dates, symbols, reporters, fewer columns) or, for the command line, raise --memory-limit.',
  },
  OCAT_ERR_FILE_NAME: {
    status: 400,
    what: 'An uploaded file is not named as a CAT file of the submitter it comes from (or names a path)',
    fix: 'Name it <SubmitterID>_<IMID>_<YYYYMMDD>_[<Group>_]<Kind>_<NNNNNN>[.meta].<json|csv>[.bz2] (IM spec 6.1.1); catCode says which part, where CAT has a code.',
  },
  OCAT_ERR_RECEIPT_INVALID: {
    status: 400,
    what: 'A receipt does not verify against the repository',
    fix: 'The receipt was altered or comes from another repository.',
  },
  OCAT_ERR_TLS: {
    status: 500,
    what: "The portal's certificate or private key cannot be read or is not PEM",
    fix: 'Give --cert and --key files in PEM form, or leave both out to use the self-signed certificate in the key folder.',
  },
  OCAT_ERR_AUTH_REQUIRED: {
    status: 401,
    what: 'The request carries no valid session or API token',
    fix: 'Sign in (POST /api/session) and send the session cookie, or send Authorization: Bearer TOKEN.',
  },
  OCAT_ERR_CSRF: {
    status: 403,
    what: "A state-changing request signed in by cookie lacks the session's CSRF token",
    fix: 'Send the csrfToken that sign-in (or GET /api/session) answered in the x-csrf-token header.',
  },
  OCAT_ERR_HTTP_HOST: {
    status: 421,
    what: 'The Host header names neither a loopback name nor a name the portal serves',
    fix: 'Open the portal by the address it listens on, or start it with --allow-host NAME for a DNS name.',
  },
  OCAT_ERR_HTTP_REQUEST: {
    status: 400,
    what: 'The request is malformed: a parameter or body field is missing, unknown or of the wrong form',
    fix: 'See the message and the route in /openapi.json.',
  },
  OCAT_ERR_HTTP_TOO_LARGE: {
    status: 413,
    what: 'The request body is larger than the portal accepts',
    fix: 'Send a smaller body (queries are limited to 64 KiB of SQL).',
  },
  OCAT_ERR_HTTP_METHOD: {
    status: 405,
    what: 'The route does not answer that HTTP method',
    fix: 'See the route in /openapi.json.',
  },
  OCAT_ERR_ALERT_WORKFLOW: {
    status: 409,
    what: "A change of an alert's status that its workflow does not allow (a step it cannot take, a close without a disposition, no note, an assignee who is not a regulator)",
    fix: "See the alert workflow in docs/surveillance.md and the alert's current status (opencat surveil status).",
  },
  OCAT_ERR_RATE_LIMITED: {
    status: 429,
    what: 'Too many requests from one account (or, for sign-in, one address) in a short time',
    fix: 'Wait the seconds the retry-after header gives.',
  },
} as const

/** A registered failure code. */
export type OcatErrorCode = keyof typeof OCAT_ERRORS

/** An OpenCAT failure: a registered code, a message, structured context and an optional cause. */
export class OpenCatError extends Error {
  readonly status: number
  constructor(
    readonly code: OcatErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'OpenCatError'
    this.status = OCAT_ERRORS[code].status
  }

  /** The error as scripts see it (`--json`). */
  toJSON(): Record<string, unknown> {
    return { error: this.name, code: this.code, message: this.message, status: this.status, ...this.context }
  }
}
