/**
 * The DuckDB module, loaded when the first database opens rather than when a command starts: loading the
 * engine is most of a command's start-up, and commands that never open a repository (help, simulate,
 * catalogue) need none of it.
 */
import { createRequire } from 'node:module'
import type * as DuckDB from '@duckdb/node-api'

let loaded: typeof DuckDB | undefined

/**
 * Loads the engine (once). The compiled command has the module's JavaScript bundled in a chunk of its own
 * (bin/bundle.js), imported here. From the sources it is required: the module is CommonJS, and required it
 * loads in about a third of the time an ES import takes, which first scans all of its files for exports.
 */
export async function loadEngine(): Promise<typeof DuckDB> {
  if (!loaded) {
    // A CommonJS module imported is its exports object as the default export.
    loaded =
      process.env.OPENCAT_BUNDLED === '1'
        ? ((await import('@duckdb/node-api')) as unknown as { default: typeof DuckDB }).default
        : (createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB)
  }
  return loaded
}

/** The engine's module, for code that runs only on an open database (values, types, chunks). */
export function engine(): typeof DuckDB {
  if (!loaded) throw new Error('the DuckDB engine is used before any database was opened')
  return loaded
}
