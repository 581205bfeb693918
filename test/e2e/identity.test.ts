/**
 * Customers end to end on a simulated day (the simulator's customers are the oracle): one CCID per person
 * across brokers, no PII or TID anywhere in the repository, PII only with the entitlement and logged,
 * customer activity and key rotation.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { listValue } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Identity } from '../../src/access/index.ts'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { isoOrCatToNs } from '../../src/common/time/parse-instant.ts'
import { rekeyCustomers } from '../../src/identity/index.ts'
import { submitFiles } from '../../src/pipeline/submit.ts'
import { customerActivity } from '../../src/query/customer.ts'
import { revealPii } from '../../src/query/pii.ts'
import { readAccessLog } from '../../src/store/access-log.ts'
import { rotateKey } from '../../src/store/key-ring.ts'
import { initRepository, openRepository, type Repository } from '../../src/store/repository.ts'
import '../../src/pipeline/stage-views.ts'
import { parquetReadOptions } from '../../src/store/store-cipher.ts'
import { simulatedDay, truth } from '../support/simulated-day.ts'

interface Person {
  personId: string
  kind: string
  tid: string
  ssnOrEin: string
  name: string
  accounts: { crd: number; imid: string; fdid: string }[]
}

let day: string
let repo: Repository
let people: Person[]
const AT = isoOrCatToNs('2026-03-02T18:00:00')

async function ccidOf(crd: number, fdid: string): Promise<string[]> {
  const rows = await repo.db.all<{ ccid: string }>(
    'SELECT DISTINCT ccid FROM fdid_holders WHERE crd = $1 AND fdid = $2',
    [crd, fdid],
  )
  return rows.map((r) => r.ccid)
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 800, customers: 150 })
  people = truth<Person>(day, 'customers.ndjson')
  repo = await initRepository(join(day, '..', 'repo'), join(day, 'reference'), undefined, { piiVault: true })
  await submitFiles(repo, [join(day, 'submissions')], { nowNs: AT })
}, 180_000)

afterAll(() => repo?.close())

describe('customer identity', () => {
  it('gives every person one CCID across all their accounts and brokers, and different people different CCIDs', async () => {
    const byPerson = new Map<string, Set<string>>()
    for (const p of people) {
      const ids = new Set<string>()
      for (const a of p.accounts) for (const c of await ccidOf(a.crd, a.fdid)) ids.add(c)
      byPerson.set(p.personId, ids)
      expect(ids.size, `${p.personId} holds ${p.accounts.length} accounts`).toBe(1)
    }
    const owners = new Map<string, string>()
    for (const [person, ids] of byPerson) {
      const ccid = [...ids][0]
      expect(owners.get(ccid), `CCID of ${person} also belongs to ${owners.get(ccid)}`).toBeUndefined()
      owners.set(ccid, person)
    }
    expect(people.some((p) => new Set(p.accounts.map((a) => a.crd)).size > 1)).toBe(true)
  })

  it('keeps apart people who share a name but not a TID', async () => {
    const byName = new Map<string, Person[]>()
    for (const p of people) byName.set(p.name, [...(byName.get(p.name) ?? []), p])
    const namesakes = [...byName.values()].filter((ps) => new Set(ps.map((p) => p.tid)).size > 1)
    for (const group of namesakes) {
      const ccids = await Promise.all(
        group.map(async (p) => (await ccidOf(p.accounts[0].crd, p.accounts[0].fdid))[0]),
      )
      expect(new Set(ccids).size).toBe(group.length)
    }
  })

  it('holds no PII value and no TID in any file of the repository or its logs', async () => {
    // Broker-dealers hold their own accounts; a firm's legal name is public reference data, not PII.
    const firms = new Set(
      (
        JSON.parse(readFileSync(join(day, 'reference', 'reporters.json'), 'utf8')).firms as { name: string }[]
      ).map((f) => f.name),
    )
    const needles = people
      .flatMap((p) => [...(firms.has(p.name) ? [] : [p.name]), p.ssnOrEin, p.tid])
      .filter((s) => s.length >= 6)
    expect(needles.length).toBeGreaterThan(people.length * 2)
    const files: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e)
        if (statSync(p).isDirectory()) walk(p)
        else files.push(p)
      }
    }
    walk(repo.paths.root)
    const leaks: string[] = []
    for (const f of files) {
      let text = readFileSync(f).toString('latin1')
      if (f.endsWith('.bz2')) {
        const d = bunzip2Buffer(readFileSync(f))
        if (d.ok) text = d.data.toString('latin1')
      }
      // Compressed columnar files are read through the engine, so an encoded value cannot hide.
      if (f.endsWith('.parquet'))
        text = JSON.stringify(
          await repo.db.all(`SELECT * FROM read_parquet('${f}'${parquetReadOptions(repo.db)})`),
        )
      for (const n of needles) if (text.includes(n)) leaks.push(`${f}: ${n.slice(0, 4)}…`)
    }
    const tables = await repo.db.all<{ table_name: string }>(
      'SELECT table_name FROM duckdb_tables() WHERE NOT temporary',
    )
    for (const { table_name } of tables) {
      const text = JSON.stringify(await repo.db.all(`SELECT * FROM "${table_name}"`))
      for (const n of needles)
        if (text.includes(n)) leaks.push(`catalog table ${table_name}: ${n.slice(0, 4)}…`)
    }
    expect(files.length).toBeGreaterThan(20)
    expect(leaks).toEqual([])
  })

  it('reveals PII only to an entitled user with a reason, and logs every attempt', async () => {
    const p = people.find((x) => x.kind === 'natural')!
    const [ccid] = await ccidOf(p.accounts[0].crd, p.accounts[0].fdid)
    // Identities as authenticate gives them: the pii entitlement is the account store's, not access.json's.
    const eve: Identity = { user: 'eve', roles: ['regulator'], scopes: [], via: 'token' }
    const ana: Identity = { user: 'ana', roles: ['regulator', 'pii'], scopes: [], via: 'token' }
    expect(() => revealPii(repo, eve, ccid, 'curious')).toThrow(/needs the pii entitlement/)
    writeFileSync(join(repo.paths.root, 'access.json'), JSON.stringify({ users: { eve: ['pii'] } }))
    expect(() => revealPii(repo, eve, ccid, 'curious')).toThrow(/access.json is no longer read/)
    expect(() => revealPii(repo, ana, ccid, '  ')).toThrow(/reason/)
    const records = revealPii(repo, ana, ccid, 'case 2026-17')
    expect(records.length).toBeGreaterThan(0)
    const fields = records[0].fields as { firstName: string; lastName: string }
    expect(p.name.startsWith(fields.firstName)).toBe(true)
    expect(p.name.endsWith(fields.lastName)).toBe(true)
    const log = readAccessLog(repo.paths)
    expect(log.brokenAt).toBeUndefined()
    expect(log.entries.map((e) => `${e.user}:${e.action}`)).toEqual([
      'eve:pii-reveal-refused',
      'eve:pii-reveal-refused',
      'ana:pii-reveal-refused',
      'ana:pii-reveal',
    ])
  })

  it("finds a customer's orders at every broker by CCID, by FDID and by large trader ID", async () => {
    const multi = people.find((p) => new Set(p.accounts.map((a) => a.imid)).size > 1)!
    const [ccid] = await ccidOf(multi.accounts[0].crd, multi.accounts[0].fdid)
    const byCcid = await customerActivity(repo, { ccid }, 20260302, 20260302)
    expect(new Set(byCcid.accounts.map((a) => a.fdid))).toEqual(new Set(multi.accounts.map((a) => a.fdid)))
    const expected = await repo.db.one<{ n: string }>(
      `SELECT count(*) AS n FROM current_events e JOIN ref_imids i ON i.imid = e._reporter
       WHERE list_contains($1::VARCHAR[], CAST(i.crd AS VARCHAR) || ':' || e.firmDesignatedID)`,
      [listValue(multi.accounts.map((a) => `${a.crd}:${a.fdid}`))],
    )
    expect(byCcid.events.filter((e) => e.type === 'MENO').length).toBe(Number(expected?.n))
    const byFdid = await customerActivity(
      repo,
      { reporter: multi.accounts[0].imid, fdid: multi.accounts[0].fdid },
      20260302,
      20260302,
    )
    expect(byFdid.ccids).toEqual([ccid])
    const ltidRow = await repo.db.one<{ ltid: string; ccid: string }>(
      'SELECT l.ltid, h.ccid FROM fdid_ltids l JOIN fdid_holders h USING (crd, fdid) LIMIT 1',
    )
    if (ltidRow)
      expect((await customerActivity(repo, { ltid: ltidRow.ltid }, 20260302, 20260302)).ccids).toContain(
        ltidRow.ccid,
      )
  })

  it('finds at T+3 no order event naming an FDID the simulated firms did not report', async () => {
    const s = await submitFiles(repo, [], { nowNs: isoOrCatToNs('2026-03-05T08:00:01'), checkFdids: true })
    expect(s.fdidChecks).toEqual([
      expect.objectContaining({ eventDate: 20260302, events: 0, errorFiles: [] }),
    ])
    const named = await repo.db.one<{ n: string }>(
      'SELECT count(*) AS n FROM event_fdids WHERE event_date = 20260302',
    )
    expect(Number(named?.n)).toBeGreaterThan(100)
  })

  it('re-keys every customer under a rotated CCID key: new CCIDs, still one per person', async () => {
    const p = people.find((x) => x.accounts.length > 1) ?? people[0]
    const [before] = await ccidOf(p.accounts[0].crd, p.accounts[0].fdid)
    const dir = repo.keys().dir
    repo.close()
    rotateKey(dir, 'ccid')
    repo = await openRepository(join(day, '..', 'repo'), { write: true })
    await rekeyCustomers(repo)
    const after = new Set<string>()
    for (const a of p.accounts) for (const c of await ccidOf(a.crd, a.fdid)) after.add(c)
    expect(after.size).toBe(1)
    expect([...after][0]).not.toBe(before)
  })
})
