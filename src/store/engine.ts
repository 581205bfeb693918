/**
 * The DuckDB module, loaded when the first database opens rather than when a command starts: loading the
 * engine is most of a command's start-up, and commands that never open a repository (help, simulate,
 * catalogue) need none of it.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type * as DuckDB from '@duckdb/node-api'
import { requireWithCodeCache } from './engine-code-cache.ts'

let loaded: typeof DuckDB | undefined

/** The engine's API as the compiled command bundles it (bin/bundle.js). */
const COMPILED = fileURLToPath(new URL('../../dist/engine.cjs', import.meta.url))

/**
 * Loads the engine (once). The compiled command has the module's JavaScript bundled into one file, loaded
 * with V8's code cache (engine-code-cache.ts). From the sources it is required: the module is CommonJS,
 * and required it loads in about a third of the time an ES import takes (which scans its files for exports).
 */
export async function loadEngine(): Promise<typeof DuckDB> {
  if (!loaded) {
    loaded =
      process.env.OPENCAT_BUNDLED === '1' && existsSync(COMPILED)
        ? (requireWithCodeCache(COMPILED) as typeof DuckDB)
        : (createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB)
  }
  return loaded
}

/** The engine's module, for code that runs only on an open database (values, types, chunks). */
export function engine(): typeof DuckDB {
  if (!loaded) throw new Error('the DuckDB engine is used before any database was opened')
  return loaded
}
