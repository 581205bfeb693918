/**
 * Reads never write: the portal's book and NBBO routes and the `book` command, asked with identifiers that
 * would walk out of the repository (`venue=../../…`), answer 400/404 and write nothing anywhere; an ordinary
 * read writes nothing but its access-log line.
 */
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import '../../src/pipeline/stage-views.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { type Portal, startPortal } from '../../src/server/server.ts'
import { initRepository } from '../../src/store/repository.ts'
import { runCli } from '../support/cli.ts'
import { type PortalClient, tokenClient } from '../support/portal.ts'
import { simulatedDay } from '../support/simulated-day.ts'

let portal: Portal
let client: PortalClient
let repoDir: string
/** A folder outside the repository that a traversal would have written into (it must never appear). */
let outside: string
let busy: { venue: string; symbol: string; at: string }

/** Every file below a folder with its size and modification time. */
function listing(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else {
        const s = statSync(p)
        out.set(relative(dir, p), `${s.size}@${s.mtimeMs}`)
      }
    }
  }
  walk(dir)
  return out
}

/** Files below the repository that changed since `before` (a read, refused or not, only appends to the access log). */
function changedSince(before: Map<string, string>): string[] {
  const after = listing(repoDir)
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((f) => before.get(f) !== after.get(f))
    .sort()
}

/** A venue that, joined below store/books/event_date=…/venue=…, lands in `outside`. */
function escapingVenue(): string {
  return `${'../'.repeat(40)}${outside.replace(/^\//, '')}`
}

beforeAll(async () => {
  const day = await simulatedDay({ orders: 300, customers: 40 })
  repoDir = join(day, '..', 'repo')
  const repo = await initRepository(repoDir, join(day, 'reference'))
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: isoOrCatToNs('2026-03-02T20:00:00') })
  const top = await repo.db.one<{ venue: string; symbol: string; ns: string }>(
    `SELECT _reporter AS venue, symbol, CAST(quantile_disc(_event_ns, 0.5) AS VARCHAR) AS ns FROM current_events
     WHERE _type = 'EXOA' GROUP BY ALL ORDER BY count(*) DESC, venue, symbol LIMIT 1`,
  )
  busy = { venue: top!.venue, symbol: top!.symbol, at: top!.ns }
  repo.close()
  outside = join(mkdtempSync(join(tmpdir(), 'opencat-outside-')), 'x')
  portal = await startPortal({ repo: repoDir, port: 0, keepOpenMs: 100 })
  client = await tokenClient(portal, repoDir, 'reader')
}, 180_000)

afterAll(async () => {
  await portal?.close()
})

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await client.get(path)
  return { status: res.status, body: res.json() }
}

describe('reads never write', () => {
  it('refuses a venue that walks out of the repository with 400 and writes nothing but its access-log line, inside or out', async () => {
    const before = listing(repoDir)
    const venue = encodeURIComponent(escapingVenue())
    for (const path of [
      `/api/book?venue=${venue}&symbol=evil&at=${busy.at}`,
      `/api/book?venue=${encodeURIComponent('../../../../tmp/x')}&symbol=evil&at=${busy.at}`,
    ]) {
      const { status, body } = await get(path)
      expect(status).toBe(400)
      expect(body.code).toBe('OCAT_ERR_BAD_IDENTIFIER')
      expect(String(body.message)).toMatch(/venue/)
    }
    expect(existsSync(outside)).toBe(false)
    expect(changedSince(before)).toEqual(['log/access.ndjson'])
  })

  it('answers 404 for a well-formed venue or symbol the reference data does not know, writing nothing but its access-log line', async () => {
    const before = listing(repoDir)
    const unknownVenue = await get(`/api/book?venue=ZZZZ&symbol=${busy.symbol}&at=${busy.at}`)
    expect(unknownVenue.status).toBe(404)
    expect(String(unknownVenue.body.message)).toMatch(/ZZZZ/)
    const traversingSymbol = await get(
      `/api/book?venue=${busy.venue}&symbol=${encodeURIComponent('../../../evil')}&at=${busy.at}`,
    )
    expect(traversingSymbol.status).toBe(404)
    expect(String(traversingSymbol.body.message)).toMatch(/symbol master/)
    const nbbo = await get(`/api/nbbo?symbol=${encodeURIComponent('../../evil')}&at=${busy.at}`)
    expect(nbbo.status).toBe(404)
    expect(changedSince(before)).toEqual(['log/access.ndjson'])
  })

  it('reads a real book without persisting anything but the access-log line', async () => {
    const before = listing(repoDir)
    const { status, body } = await get(`/api/book?venue=${busy.venue}&symbol=${busy.symbol}&at=${busy.at}`)
    expect(status).toBe(200)
    expect((body.bids as unknown[]).length + (body.asks as unknown[]).length).toBeGreaterThan(0)
    const after = listing(repoDir)
    const changed = [...after].filter(([f, v]) => before.get(f) !== v).map(([f]) => f)
    expect(changed).toEqual(['log/access.ndjson'])
    expect(existsSync(join(repoDir, 'store', 'books'))).toBe(false)
  })

  it('refuses the same traversal on the command line, writing nothing but its access-log line', async () => {
    const before = listing(repoDir)
    const r = await runCli([
      'book',
      '--repo',
      repoDir,
      '--venue',
      escapingVenue(),
      '--symbol',
      'evil',
      '--at',
      busy.at,
      '--json',
    ])
    expect(r.code).not.toBe(0)
    expect(`${r.stdout}${r.stderr}`).toMatch(/OCAT_ERR_BAD_IDENTIFIER/)
    expect(existsSync(outside)).toBe(false)
    expect(changedSince(before)).toEqual(['log/access.ndjson'])
  })
})
