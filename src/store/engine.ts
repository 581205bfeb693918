/**
 * The DuckDB module, loaded when the first database opens rather than when a command starts: loading the
 * engine is most of a command's start-up, and commands that never open a repository (help, simulate,
 * catalogue) need none of it.
 */
import { createRequire } from 'node:module'
import type * as DuckDB from '@duckdb/node-api'

let loaded: typeof DuckDB | undefined

/**
 * Loads the engine (once). The module is CommonJS: required, it loads in about a third of the time an ES
 * import takes, which first scans all of its files for their exports.
 */
export function loadEngine(): typeof DuckDB {
  loaded ??= createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB
  return loaded
}

/** The engine's module, for code that runs only on an open database (values, types, chunks). */
export function engine(): typeof DuckDB {
  if (!loaded) throw new Error('the DuckDB engine is used before any database was opened')
  return loaded
}
