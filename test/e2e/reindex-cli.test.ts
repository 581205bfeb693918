/**
 * `opencat reindex` on a repository holding a simulated day: a date whose index is up to date is left alone,
 * one whose latest build is of an earlier format (as after an upgrade) gets a new build that readers use
 * again, the answers of a page are the same before and after, and a second run writes nothing; `opencat
 * serve` warns of an out-of-date index before it serves.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DAY_INDEX_FORMAT, freshDayIndex } from '../../src/store/day-index.ts'
import { openRepository } from '../../src/store/repository.ts'
import { runCli, startCli } from '../support/cli.ts'
import { simulatedRepository } from '../support/simulated-day.ts'

const DATE = 20260302

interface Reindexed {
  dates: { eventDate: string; written: boolean; build: number; format: number; seconds: number }[]
}

let repoDir: string

async function reindex(...more: string[]): Promise<Reindexed> {
  const r = await runCli(['reindex', '--repo', repoDir, '--json', ...more])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as Reindexed
}

const daysDir = () => join(repoDir, 'store', 'days', `event_date=${DATE}`)

function builds(): string[] {
  return readdirSync(daysDir()).filter((b) => b.startsWith('build='))
}

async function readersUseIndex(): Promise<boolean> {
  const repo = await openRepository(repoDir)
  try {
    return (await freshDayIndex(repo, DATE)) !== undefined
  } finally {
    repo.close()
  }
}

/** A page of the day browser as JSON: answered from the index when readers use it, else from the store. */
async function browsePage(): Promise<unknown> {
  const r = await runCli(['browse', '--repo', repoDir, '--date', '2026-03-02', '--limit', '200', '--json'])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}

/** What `opencat serve` says on stderr before it serves (it is stopped once it does). */
async function serveWarning(): Promise<string> {
  const run = startCli(['serve', '--repo', repoDir, '--port', '0'])
  run.child.stdout!.on('data', (d) => {
    if (String(d).includes('Ctrl-C')) run.child.kill('SIGTERM')
  })
  const r = await run.done
  return r.stderr
}

beforeAll(async () => {
  ;({ repoDir } = await simulatedRepository({ orders: 300 }))
}, 240_000)

describe('opencat reindex', () => {
  it('leaves an up-to-date index alone', async () => {
    const before = builds()
    const out = await reindex()
    expect(out.dates).toEqual([
      expect.objectContaining({ eventDate: '2026-03-02', written: false, format: DAY_INDEX_FORMAT }),
    ])
    expect(builds()).toEqual(before)
    expect(await readersUseIndex()).toBe(true)
  }, 120_000)

  it('rebuilds an index of an earlier format, with the same answers, once', async () => {
    const page = await browsePage()
    const before = builds()
    // What an older OpenCAT left behind: its readers' format, which this version's readers pass by.
    const manifest = join(daysDir(), before.at(-1)!, 'manifest.json')
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), format: 1 }))
    expect(await readersUseIndex()).toBe(false)
    expect(await browsePage()).toEqual(page)
    expect(await serveWarning()).toContain('day index of 2026-03-02 is out of date')

    const out = await reindex('--date', '2026-03-02')
    expect(out.dates).toHaveLength(1)
    expect(out.dates[0]).toMatchObject({ eventDate: '2026-03-02', written: true, format: DAY_INDEX_FORMAT })
    expect(builds()).toHaveLength(before.length + 1)
    expect(await readersUseIndex()).toBe(true)
    expect(await browsePage()).toEqual(page)
    expect(await serveWarning()).not.toContain('day index')

    const again = await reindex()
    expect(again.dates[0]).toMatchObject({ written: false, build: out.dates[0].build })
    expect(builds()).toHaveLength(before.length + 1)
  }, 240_000)

  it('refuses a date with no linkage run and a malformed date, with their codes', async () => {
    const unlinked = await runCli(['reindex', '--repo', repoDir, '--date', '2026-03-03', '--json'])
    expect(unlinked.code).not.toBe(0)
    expect(unlinked.stdout + unlinked.stderr).toContain('OCAT_ERR_NOT_FOUND')
    const bad = await runCli(['reindex', '--repo', repoDir, '--date', '03/02/2026', '--json'])
    expect(bad.code).not.toBe(0)
    expect(bad.stdout + bad.stderr).toContain('OCAT_ERR_CLI_USAGE')
    const help = await runCli(['reindex', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('reindex --repo DIR')
  }, 60_000)
})
