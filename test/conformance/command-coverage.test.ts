/**
 * Every CLI command (and subcommand) and every API route is run by some test. This only checks presence —
 * a test source that calls the command or requests the route; what each answer must be is up to the tests
 * themselves — so a new command or route cannot arrive without one. Every command also answers --help.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands/index.ts'
import { SUMMARIES } from '../../src/cli/commands/summaries.ts'
import { runCli } from '../../src/cli/main.ts'
import { ROUTES } from '../../src/server/server.ts'
import { PROJECT_ROOT } from '../support/shared.ts'

const THIS = 'test/conformance/command-coverage.test.ts'

/** Every test source but this one, by path. */
const sources = new Map(
  readdirSync(join(PROJECT_ROOT, 'test'), { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.test.ts'))
    .map((p) => `test/${p}`)
    .filter((p) => p !== THIS)
    .map((p) => [p, readFileSync(join(PROJECT_ROOT, p), 'utf8')]),
)

/** The subcommands a command's usage starts with: `keys rotate …`, `token (create|revoke) …`; none is []. */
function subcommandsOf(usage: string): string[] {
  const second = usage.split(/\s+/)[1] ?? ''
  if (/^[a-z]/.test(second)) return [second]
  const choice = /^\(([a-z|-]+)\)$/.exec(second)
  return choice ? choice[1].split('|') : []
}

/** Paths the server answers besides ROUTES (the route list at /api). */
function serverPaths(): string[] {
  const text = readFileSync(join(PROJECT_ROOT, 'src', 'server', 'server.ts'), 'utf8')
  return [...text.matchAll(/pathname === '(\/api[^']*)'/g)].map((m) => m[1])
}

function testsMatching(re: RegExp): string[] {
  return [...sources].filter(([, text]) => re.test(text)).map(([p]) => p)
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

describe('every command and route has a test', () => {
  it('finds the commands, the routes and the tests to look in', () => {
    expect(COMMANDS.length).toBeGreaterThan(15)
    expect(ROUTES.length).toBeGreaterThan(5)
    expect(sources.size).toBeGreaterThan(20)
  })

  for (const cmd of COMMANDS) {
    const subs = subcommandsOf(cmd.usage)
    for (const words of subs.length > 0 ? subs.map((sub) => [cmd.name, sub]) : [[cmd.name]])
      it(`opencat ${words.join(' ')} is run by a test`, () => {
        // An argument list that starts with the command (and its subcommand): runCli(['keys', 'rotate', …]).
        const call = new RegExp(`\\[\\s*${words.map((w) => `'${literal(w)}'`).join('\\s*,\\s*')}\\s*,`)
        expect(testsMatching(call), `no test runs opencat ${words.join(' ')}`).not.toEqual([])
      })
  }

  for (const path of [...ROUTES.map((r) => r.path), ...serverPaths()]) {
    it(`${path} is requested by a test`, () => {
      // The path followed by its query, or closing the string it is in.
      const request = new RegExp(`${literal(path)}[?'\`"]`)
      const users = testsMatching(request).map((p) => relative('test', p))
      expect(users, `no test requests ${path}`).not.toEqual([])
    })
  }
})

describe('every command explains itself', () => {
  it('opencat --help lists every command, in order, with the summary its own --help gives', () => {
    // The overview prints the summaries without loading the commands' modules.
    expect(Object.keys(SUMMARIES)).toEqual(COMMANDS.map((c) => c.name))
    for (const cmd of COMMANDS) expect(cmd.summary).toBe(SUMMARIES[cmd.name as keyof typeof SUMMARIES])
  })

  for (const cmd of COMMANDS) {
    it(`opencat ${cmd.name} --help prints its usage and the --json option`, async () => {
      let out = ''
      const sink = new Writable({
        write(chunk, _enc, cb) {
          out += String(chunk)
          cb()
        },
      })
      const code = await runCli([cmd.name, '--help'], { stdout: sink, stderr: sink })
      expect(code).toBe(0)
      expect(out).toContain(`Usage: opencat ${cmd.usage}`)
      expect(out).toMatch(/--json\s/)
    })
  }
})
