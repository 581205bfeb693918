/**
 * Loads a CommonJS file with V8's code cache beside it: the engine's API (dist/engine.cjs, some 460 KB that
 * every command opening a repository runs) compiled from the cache instead of from its text, about twice
 * as fast. Node 20 keeps no compile cache of its own. The first run without a usable cache writes one (named
 * by the file's time and size, so a rebuilt file never meets an earlier file's cache); any failure to read
 * or write it only costs the compile.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Script } from 'node:vm'

export function requireWithCodeCache(file: string): unknown {
  const source = readFileSync(file, 'utf8')
  const { mtimeMs, size } = statSync(file)
  const cacheFile = `${file}.${Math.trunc(mtimeMs)}-${size}.cache`
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) })
  const module = { exports: {} as unknown }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file))
  if (!cachedData || script.cachedDataRejected) {
    // Made after the module ran, the cache holds the functions its start compiled too.
    const aside = `${cacheFile}.${process.pid}`
    try {
      writeFileSync(aside, script.createCachedData())
      renameSync(aside, cacheFile)
    } catch {
      // A read-only install runs without the cache.
    }
  }
  return module.exports
}
