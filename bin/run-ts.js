#!/usr/bin/env node
// Runs a TypeScript script of the project (benchmarks, doc generators) through tsx: `run-ts.js FILE [ARGS]`.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { register } from 'tsx/esm/api'

register()
const [file, ...args] = process.argv.slice(2)
process.argv = [process.argv[0], resolve(file), ...args]
await import(pathToFileURL(resolve(file)).href)
