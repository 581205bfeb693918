/**
 * Extraction alerts through the portal on a simulated day: a regulator with a history of small extracts who
 * takes one huge extract gets one alert naming the user, the request and the figures, listed by
 * GET /api/alerts and `opencat surveil alerts`; steady use (small extracts, or large ones at the user's
 * usual size) raises none.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { etDateOf } from '../../src/common/time/cat-date.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import '../../src/pipeline/stage-views.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository } from '../../src/store/repository.ts'
import { EXTRACTION_POLICY, type ExtractionAlert } from '../../src/surveil/index.ts'
import { runCli } from '../support/cli.ts'
import { type PortalClient, tokenClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

let repoDir: string
let portal: Portal
let symbols: string[]
/** Today in Eastern Time, the day the alerts are raised on. */
const today = String(etDateOf(BigInt(Date.now()) * 1_000_000n)).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')

beforeAll(async () => {
  const day = await simulatedDay({ orders: 150, customers: 20 })
  repoDir = join(day, '..', 'repo')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: isoOrCatToNs('2026-03-02T20:00:00') })
  symbols = (
    await repo.db.all<{ symbol: string }>(
      'SELECT symbol FROM current_events WHERE symbol IS NOT NULL GROUP BY ALL ORDER BY count(*) DESC, symbol LIMIT 6',
    )
  ).map((r) => r.symbol)
  repo.close()
  portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100 })
}, 180_000)

afterAll(async () => {
  await portal?.close()
})

async function extractDay(client: PortalClient, symbol: string): Promise<number> {
  const res = await client.get(`/api/extract?date=2026-03-02&format=csv&symbol=${symbol}`)
  expect(res.status, res.text).toBe(200)
  return res.text.trim().split('\n').length - 1
}

async function extractRows(client: PortalClient, rows: number): Promise<void> {
  const res = await client.send('POST', '/api/extract', {
    sql: `SELECT * FROM range(${rows})`,
    format: 'parquet',
  })
  expect(res.status, res.text).toBe(200)
}

async function extractionAlerts(client: PortalClient): Promise<ExtractionAlert[]> {
  const res = await client.get(`/api/alerts?date=${today}`)
  expect(res.status, res.text).toBe(200)
  return res.json<{ extraction: ExtractionAlert[] }>().extraction
}

describe('extraction alerts', () => {
  it('one huge extract after a history of small ones raises one alert naming the user, request and figures', async () => {
    const steady = await tokenClient(portal, repoDir, 'steady')
    const sizes: number[] = []
    for (const s of symbols) sizes.push(await extractDay(steady, s))
    expect(Math.min(...sizes)).toBeGreaterThan(0)
    expect(await extractionAlerts(steady)).toEqual([])

    const huge = EXTRACTION_POLICY.floorRows * 2
    await extractRows(steady, huge)
    const alerts = (await extractionAlerts(steady)).filter((a) => a.extraction.user === 'steady')
    expect(alerts).toHaveLength(1)
    const sorted = [...sizes].sort((a, b) => a - b)
    const median = (sorted[2] + sorted[3]) / 2
    expect(alerts[0]).toMatchObject({
      kind: 'extraction',
      extraction: {
        user: 'steady',
        action: 'extract',
        request: `SELECT * FROM range(${huge})`,
        rows: huge,
        medianRows: median,
        priorRequests: symbols.length,
      },
    })
    expect(alerts[0].reason).toContain('steady')
    expect(alerts[0].reason).toContain(`${huge} rows`)
    expect(alerts[0].score).toBeGreaterThan(0.5)

    // The command line lists the same alert.
    const cli = await runCli([
      'surveil',
      'alerts',
      '--repo',
      repoDir,
      '--operator',
      '--date',
      today,
      '--json',
    ])
    expect(cli.code, cli.stderr).toBe(0)
    expect(JSON.parse(cli.stdout).extraction).toEqual(await extractionAlerts(steady))
  }, 120_000)

  it('steady use raises none: small extracts, and large ones at the user usual size', async () => {
    const normal = await tokenClient(portal, repoDir, 'normal')
    for (const s of symbols.slice(0, 3)) await extractDay(normal, s)
    const large = await tokenClient(portal, repoDir, 'large')
    // Above the floor, but never ten times the user's own median.
    const usual = EXTRACTION_POLICY.floorRows + 20_000
    for (let i = 0; i < 3; i++) await extractRows(large, usual)
    const before = (await extractionAlerts(large)).filter((a) => a.extraction.user === 'large')
    // Its first large extract had no history: that one is an alert, the later ones at the same size are not.
    expect(before.map((a) => a.extraction.priorRequests)).toEqual([0])
    await extractRows(large, usual * 2)
    const all = await extractionAlerts(normal)
    expect(all.filter((a) => a.extraction.user === 'normal')).toEqual([])
    expect(all.filter((a) => a.extraction.user === 'large')).toEqual(before)
  }, 120_000)
})
