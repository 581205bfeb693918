/**
 * Reference data (reporters, submitters, symbols, calendar) as read from a reference folder: parsed,
 * checked with clear messages, and loaded into the catalogue's `ref_*` tables. Layout in
 * docs/formats/reference.md.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { isoToDate } from '../common/time/cat-date.ts'
import { parseCalendarFile, type TradingCalendar } from '../common/time/trading-calendar.ts'
import { type Database, literal } from './database.ts'

/** A validity range in YYYYMMDD numbers; `to` is null while still valid. */
export interface Validity {
  from: number
  to: number | null
}

/** Parsed reference data. */
export interface ReferenceData {
  firms: { crd: number; name: string; imids: ({ imid: string; ats: boolean } & Validity)[] }[]
  exchanges: ({ exchangeId: string; name: string } & Validity)[]
  submitters: {
    submitterId: number
    name: string
    reportsFor: ({ reporter: string } & Validity)[]
    thirdPartyFor: ({ reporter: string } & Validity)[]
  }[]
  symbols: ({ symbol: string; listing: string; name: string; nms: boolean; test: boolean } & Validity)[]
  calendar: TradingCalendar
}

/** Collects problems instead of stopping at the first. */
class Checker {
  readonly errors: string[] = []
  constructor(readonly file: string) {}
  fail(where: string, what: string): void {
    this.errors.push(`${this.file}: ${where}: ${what}`)
  }
  str(o: Record<string, unknown>, key: string, where: string, pattern?: RegExp): string {
    const v = o[key]
    if (typeof v !== 'string' || v === '' || (pattern && !pattern.test(v))) {
      this.fail(where, `${key} must be ${pattern ? `a string matching ${pattern}` : 'a non-empty string'}`)
      return ''
    }
    return v
  }
  num(o: Record<string, unknown>, key: string, where: string): number {
    const v = o[key]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      this.fail(where, `${key} must be a whole number`)
      return 0
    }
    return v
  }
  bool(o: Record<string, unknown>, key: string, where: string, dflt: boolean): boolean {
    const v = o[key]
    if (v === undefined) return dflt
    if (typeof v !== 'boolean') this.fail(where, `${key} must be true or false`)
    return v === true
  }
  validity(o: Record<string, unknown>, where: string): Validity {
    const from = typeof o.from === 'string' ? isoToDate(o.from) : null
    if (from === null) this.fail(where, 'from must be a date YYYY-MM-DD')
    let to: number | null = null
    if (o.to !== null && o.to !== undefined) {
      to = typeof o.to === 'string' ? isoToDate(o.to) : null
      if (to === null) this.fail(where, 'to must be a date YYYY-MM-DD or null')
    }
    return { from: from ?? 0, to }
  }
  list(o: Record<string, unknown>, key: string, where: string): Record<string, unknown>[] {
    const v = o[key]
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) {
      this.fail(where, `${key} must be an array of objects`)
      return []
    }
    return v as Record<string, unknown>[]
  }
}

function readJson(path: string, errors: string[]): Record<string, unknown> | undefined {
  if (!existsSync(path)) {
    errors.push(`${path}: missing`)
    return undefined
  }
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'))
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v
    errors.push(`${path}: must hold a JSON object`)
  } catch (e) {
    errors.push(`${path}: not valid JSON (${(e as Error).message})`)
  }
  return undefined
}

const IMID = /^[A-Za-z0-9]{1,7}$/

/** Reads and checks a reference folder; throws OCAT_ERR_REFERENCE_INVALID listing every problem. */
export function readReferenceFolder(dir: string): ReferenceData {
  const errors: string[] = []
  const reporters = readJson(join(dir, 'reporters.json'), errors)
  const symbolsDoc = readJson(join(dir, 'symbols.json'), errors)
  const calendarDoc = readJson(join(dir, 'calendar.json'), errors)
  const data: ReferenceData = {
    firms: [],
    exchanges: [],
    submitters: [],
    symbols: [],
    calendar: { holidays: new Set(), earlyCloses: new Map() },
  }
  if (reporters) {
    const c = new Checker('reporters.json')
    if (reporters.version !== 1) c.fail('version', 'must be 1')
    c.list(reporters, 'firms', 'firms').forEach((f, i) => {
      const w = `firms[${i}]`
      data.firms.push({
        crd: c.num(f, 'crd', w),
        name: c.str(f, 'name', w),
        imids: c.list(f, 'imids', w).map((m, j) => ({
          imid: c.str(m, 'imid', `${w}.imids[${j}]`, IMID),
          ats: c.bool(m, 'ats', `${w}.imids[${j}]`, false),
          ...c.validity(m, `${w}.imids[${j}]`),
        })),
      })
    })
    c.list(reporters, 'exchanges', 'exchanges').forEach((x, i) => {
      data.exchanges.push({
        exchangeId: c.str(x, 'exchangeId', `exchanges[${i}]`, IMID),
        name: c.str(x, 'name', `exchanges[${i}]`),
        ...c.validity(x, `exchanges[${i}]`),
      })
    })
    c.list(reporters, 'submitters', 'submitters').forEach((s, i) => {
      const w = `submitters[${i}]`
      const rel = (key: string) =>
        (s[key] === undefined ? [] : c.list(s, key, w)).map((r, j) => ({
          reporter: c.str(r, 'reporter', `${w}.${key}[${j}]`, IMID),
          ...c.validity(r, `${w}.${key}[${j}]`),
        }))
      data.submitters.push({
        submitterId: c.num(s, 'submitterId', w),
        name: c.str(s, 'name', w),
        reportsFor: rel('reportsFor'),
        thirdPartyFor: rel('thirdPartyFor'),
      })
    })
    const known = new Set([
      ...data.firms.flatMap((f) => f.imids.map((m) => m.imid)),
      ...data.exchanges.map((x) => x.exchangeId),
    ])
    data.submitters.forEach((s, i) => {
      for (const r of [...s.reportsFor, ...s.thirdPartyFor])
        if (r.reporter && !known.has(r.reporter))
          c.fail(`submitters[${i}]`, `reporter ${r.reporter} is neither a firm IMID nor an exchange`)
    })
    errors.push(...c.errors)
  }
  if (symbolsDoc) {
    const c = new Checker('symbols.json')
    if (symbolsDoc.version !== 1) c.fail('version', 'must be 1')
    c.list(symbolsDoc, 'symbols', 'symbols').forEach((s, i) => {
      const w = `symbols[${i}]`
      data.symbols.push({
        symbol: c.str(s, 'symbol', w, /^[\x20-\x7e]{1,22}$/),
        listing: c.str(s, 'listing', w),
        name: typeof s.name === 'string' ? s.name : '',
        nms: c.bool(s, 'nms', w, true),
        test: c.bool(s, 'test', w, false),
        ...c.validity(s, w),
      })
    })
    errors.push(...c.errors)
  }
  if (calendarDoc) {
    const parsed = parseCalendarFile(calendarDoc)
    if (parsed.ok) data.calendar = parsed.calendar
    else errors.push(...parsed.errors.map((e) => `calendar.json: ${e}`))
  }
  if (errors.length > 0) {
    throw new OpenCatError(
      'OCAT_ERR_REFERENCE_INVALID',
      `reference data in ${dir} is not valid:\n  ${errors.join('\n  ')}`,
      { errors },
    )
  }
  return data
}

function rows(values: unknown[][]): string {
  return values
    .map(
      (r) =>
        `(${r.map((v) => (v === null ? 'NULL' : typeof v === 'string' ? literal(v) : String(v))).join(', ')})`,
    )
    .join(',\n')
}

/** Replaces the catalogue's reference tables with `data`. */
export async function loadReference(db: Database, data: ReferenceData): Promise<void> {
  const insert = async (table: string, values: unknown[][]) => {
    await db.run(`DELETE FROM ${table}`)
    if (values.length > 0) await db.run(`INSERT INTO ${table} VALUES ${rows(values)}`)
  }
  await insert(
    'ref_firms',
    data.firms.map((f) => [f.crd, f.name]),
  )
  await insert(
    'ref_imids',
    data.firms.flatMap((f) => f.imids.map((m) => [m.imid, f.crd, m.from, m.to, m.ats])),
  )
  await insert(
    'ref_exchanges',
    data.exchanges.map((x) => [x.exchangeId, x.name, x.from, x.to]),
  )
  await insert(
    'ref_submitters',
    data.submitters.map((s) => [s.submitterId, s.name]),
  )
  await insert(
    'ref_authorizations',
    data.submitters.flatMap((s) => [
      ...s.reportsFor.map((r) => [s.submitterId, r.reporter, 'report', r.from, r.to]),
      ...s.thirdPartyFor.map((r) => [s.submitterId, r.reporter, 'thirdParty', r.from, r.to]),
    ]),
  )
  await insert(
    'ref_symbols',
    data.symbols.map((s) => [s.symbol, s.listing, s.name, s.nms, s.test, s.from, s.to]),
  )
}
