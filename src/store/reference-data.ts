/**
 * Reference data (reporters, submitters, symbols, options series, calendar) as read from a reference folder: parsed,
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
  /** The options series master; empty when the folder has no options.json. */
  options: ({
    optionID: string
    underlying: string
    expiry: number
    strike: string
    putCall: 'C' | 'P'
  } & Validity)[]
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
  const optionsPath = join(dir, 'options.json')
  const optionsDoc = existsSync(optionsPath) ? readJson(optionsPath, errors) : undefined
  const data: ReferenceData = {
    firms: [],
    exchanges: [],
    submitters: [],
    symbols: [],
    options: [],
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
  if (optionsDoc) errors.push(...readOptions(optionsDoc, data))
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

// OSI: root left-aligned in six places, expiry YYMMDD, C or P, strike × 1000 in eight digits.
const OSI = /^([A-Z0-9][A-Z0-9 ]{5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/
const STRIKE = /^\d{1,10}(\.\d{1,8})?$/

/** Reads options.json into `data.options`; each series' optionID must spell its own terms. */
function readOptions(doc: Record<string, unknown>, data: ReferenceData): string[] {
  const c = new Checker('options.json')
  if (doc.version !== 1) c.fail('version', 'must be 1')
  const seen = new Set<string>()
  c.list(doc, 'series', 'series').forEach((s, i) => {
    const w = `series[${i}]`
    const optionID = c.str(s, 'optionID', w)
    const underlying = c.str(s, 'underlying', w, /^[\x20-\x7e]{1,22}$/)
    const expiry = typeof s.expiry === 'string' ? isoToDate(s.expiry) : null
    if (expiry === null) c.fail(w, 'expiry must be a date YYYY-MM-DD')
    const strike = c.str(s, 'strike', w, STRIKE)
    const putCall = c.str(s, 'putCall', w, /^[CP]$/) as 'C' | 'P'
    const m = OSI.exec(optionID)
    if (!m)
      c.fail(
        w,
        'optionID must be an OSI option symbol (root in six places, YYMMDD, C or P, strike × 1000 in eight digits)',
      )
    else if (expiry !== null && strike !== '') {
      const osiStrike = BigInt(m[6])
      const [whole, frac = ''] = strike.split('.')
      const thousandths = BigInt(whole) * 1000n + BigInt(frac.padEnd(3, '0').slice(0, 3) || '0')
      if (`20${m[2]}${m[3]}${m[4]}` !== String(expiry)) c.fail(w, 'optionID expiry differs from expiry')
      if (m[5] !== putCall) c.fail(w, 'optionID put/call differs from putCall')
      if (osiStrike !== thousandths || frac.replace(/0+$/, '').length > 3)
        c.fail(w, 'optionID strike differs from strike')
    }
    if (seen.has(optionID)) c.fail(w, `optionID ${optionID} is listed twice`)
    seen.add(optionID)
    data.options.push({ optionID, underlying, expiry: expiry ?? 0, strike, putCall, ...c.validity(s, w) })
  })
  return c.errors
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
    'ref_options',
    data.options.map((o) => [o.optionID, o.underlying, o.expiry, o.strike, o.putCall, o.from, o.to]),
  )
  await insert(
    'ref_symbols',
    data.symbols.map((s) => [s.symbol, s.listing, s.name, s.nms, s.test, s.from, s.to]),
  )
}
