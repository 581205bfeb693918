/**
 * What a blue sheet of a simulated day must say, from the simulator's truth and the files it wrote (not
 * from the repository): per broker, customer account and side, the executions of the lifecycles its
 * customer orders started, summed in exact integer arithmetic. Accounts opened after the day (no holder
 * then) and firm accounts that trade on their own (named on trade reports) are left out.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import type { TruthLifecycle } from '../../src/simulate/verify/verify-day.ts'
import { truth } from './simulated-day.ts'

interface Person {
  accounts: { crd: number; imid: string; fdid: string }[]
}

/** One expected blue-sheet line: trades, shares (10^-6 units) and notional (10^-14 dollar-share units). */
export interface ExpectedLine {
  trades: number
  shares: bigint
  notional: bigint
}

/** A decimal's text as an integer of 10^-scale units. */
export function units(text: string, scale: number): bigint {
  const neg = text.startsWith('-')
  const [whole, frac = ''] = (neg ? text.slice(1) : text).split('.')
  const u = BigInt(whole) * 10n ** BigInt(scale) + BigInt((frac + '0'.repeat(scale)).slice(0, scale))
  return neg ? -u : u
}

/** Integer units as decimal text without trailing zeros (non-negative amounts). */
export function unitsText(u: bigint, scale: number): string {
  const f = 10n ** BigInt(scale)
  const frac = (u % f).toString().padStart(scale, '0').replace(/0+$/, '')
  return `${u / f}${frac ? `.${frac}` : ''}`
}

/** A number field exactly as a JSON record wrote it. */
export function rawNumber(raw: string, field: string): string {
  const m = new RegExp(`"${field}":(-?[0-9]+(?:\\.[0-9]+)?)`).exec(raw)
  if (!m) throw new Error(`${field} missing in ${raw}`)
  return m[1]
}

/** Every record of the day's event files, by reporter and firmROEID (recordID for exchanges), with its line. */
export function submittedRecords(day: string): Map<string, Record<string, unknown> & { raw: string }> {
  const out = new Map<string, Record<string, unknown> & { raw: string }>()
  const root = join(day, 'submissions')
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub)).filter((n) =>
      /_(Order|Exchange)Events_\d+\.json\.bz2$/.test(n),
    )) {
      const reporter = name.split('_')[1]
      const unpacked = bunzip2Buffer(readFileSync(join(root, sub, name)))
      if (!unpacked.ok) throw new Error(unpacked.error)
      for (const raw of unpacked.data.toString('utf8').split('\n').filter(Boolean)) {
        const r = JSON.parse(raw) as Record<string, unknown>
        out.set(`${reporter} ${r.firmROEID ?? r.recordID}`, { ...r, raw })
      }
    }
  }
  return out
}

/** Accounts (CRD and FDID) the customer files say were open on `date`. */
function openAccounts(day: string, date: number): Set<string> {
  const out = new Set<string>()
  const root = join(day, 'submissions')
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub)).filter((n) => /_CAISData_\d+\.json\.bz2$/.test(n))) {
      const unpacked = bunzip2Buffer(readFileSync(join(root, sub, name)))
      if (!unpacked.ok) throw new Error(unpacked.error)
      const doc = JSON.parse(unpacked.data.toString('utf8')) as {
        catReporterCRD: number
        fdidRecordList: { firmDesignatedID: string; fdidDate: number; fdidEndDate?: number }[]
      }
      for (const f of doc.fdidRecordList)
        if (f.fdidDate <= date && (f.fdidEndDate === undefined || f.fdidEndDate >= date))
          out.add(`${doc.catReporterCRD} ${f.firmDesignatedID}`)
    }
  }
  return out
}

const EXECUTIONS = ['EXOT', 'MEOT', 'MEOF']

/** The symbol with the most executions in the day's true lifecycles. */
export function busiestSymbol(day: string): string {
  const bySymbol = new Map<string, number>()
  for (const lc of truth<TruthLifecycle>(day, 'lifecycles.ndjson'))
    bySymbol.set(
      lc.symbol,
      (bySymbol.get(lc.symbol) ?? 0) + lc.events.filter((e) => EXECUTIONS.includes(e.type)).length,
    )
  return [...bySymbol].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]
}

/**
 * The blue sheet of `symbol` on `date` (YYYYMMDD) as the truth has it, keyed `broker fdid BUY|SELL`, and the
 * customer accounts (`broker fdid`) it covers.
 */
export function expectedBlueSheet(
  day: string,
  symbol: string,
  date: number,
): { lines: Map<string, ExpectedLine>; accounts: Set<string> } {
  const records = submittedRecords(day)
  const open = openAccounts(day, date)
  const ownTrading = new Set<string>()
  for (const [key, r] of records)
    if (r.type === 'MEOT')
      for (const d of [r.buyDetails, r.sellDetails] as ({ firmDesignatedID?: string }[] | undefined)[])
        for (const x of d ?? [])
          if (x.firmDesignatedID) ownTrading.add(`${key.split(' ')[0]} ${x.firmDesignatedID}`)
  const accounts = new Set<string>()
  for (const p of truth<Person>(day, 'customers.ndjson'))
    for (const a of p.accounts)
      if (open.has(`${a.crd} ${a.fdid}`) && !ownTrading.has(`${a.imid} ${a.fdid}`))
        accounts.add(`${a.imid} ${a.fdid}`)

  const seen = new Map<string, Set<string>>()
  const lines = new Map<string, ExpectedLine>()
  for (const lc of truth<TruthLifecycle>(day, 'lifecycles.ndjson').filter((l) => l.symbol === symbol)) {
    for (const o of lc.events.filter((e) => e.type === 'MENO')) {
      const order = records.get(`${o.reporter} ${o.firmROEID}`)!
      if (!accounts.has(`${o.reporter} ${order.firmDesignatedID}`)) continue
      const key = `${o.reporter} ${order.firmDesignatedID} ${order.side === 'B' ? 'BUY' : 'SELL'}`
      const done = seen.get(key) ?? new Set<string>()
      seen.set(key, done)
      const sum = lines.get(key) ?? { trades: 0, shares: 0n, notional: 0n }
      lines.set(key, sum)
      for (const x of lc.events.filter((e) => EXECUTIONS.includes(e.type))) {
        const id = `${x.reporter} ${x.firmROEID}`
        if (done.has(id)) continue
        done.add(id)
        const raw = records.get(id)!.raw
        const q = units(rawNumber(raw, 'quantity'), 6)
        sum.trades += 1
        sum.shares += q
        sum.notional += q * units(rawNumber(raw, 'price'), 8)
      }
    }
  }
  for (const [k, v] of lines) if (v.trades === 0) lines.delete(k)
  return { lines, accounts }
}

/** Share-weighted average price in 10^-8 units, halves up (amounts here are positive). */
export function averagePrice(line: ExpectedLine): bigint {
  return (2n * line.notional + line.shares) / (2n * line.shares)
}
