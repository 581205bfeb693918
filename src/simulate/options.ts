/**
 * Options of a simulated day: what the caller may set, their defaults, and the checks that turn them into
 * one frozen, fully resolved set (bad options fail fast with OCAT_ERR_SIM_OPTIONS).
 */
import { OpenCatError } from '../common/errors.ts'
import type { Progress } from '../common/progress.ts'
import { SILENT } from '../common/progress.ts'
import { isoToDate, isTradingDay, nyseCalendar, type TradingCalendar } from '../common/time/index.ts'

/** Kinds of market abuse the simulator can inject (`all` in the CLI selects every one). */
export const ABUSE_KINDS = ['spoofing', 'layering', 'wash', 'marking-close', 'front-running', 'news'] as const
/** One kind of market abuse. */
export type AbuseKind = (typeof ABUSE_KINDS)[number]

/** Exchange IDs the simulator can use, in the order `--exchanges N` takes them (all valid in v2.2.1 and v4). */
export const SIM_EXCHANGES = [
  'NSDQ',
  'NYSE',
  'ARCA',
  'BZX',
  'EDGX',
  'IEX',
  'BX',
  'PSX',
  'BYX',
  'EDGA',
  'AMER',
  'NSX',
  'CHX',
  'LTSE',
] as const

/** Options exchanges, in the order `--exchanges N` takes them when a day trades options. */
export const SIM_OPTION_EXCHANGES = [
  'CBOE',
  'ISE',
  'PHLX',
  'MIAMI',
  'BOX',
  'C2',
  'NOM',
  'ARCAOP',
  'AMEROP',
  'BZXOP',
  'EDGXOP',
  'GEMX',
  'MRX',
  'PEARL',
] as const

/** What a simulated day trades. */
export const PRODUCTS = ['equities', 'options', 'multileg'] as const
/** One product. */
export type Product = (typeof PRODUCTS)[number]

/** Parses a product list such as `equities,options`. */
export function parseProducts(text: string): Product[] {
  const out = new Set<Product>()
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if ((PRODUCTS as readonly string[]).includes(part)) out.add(part as Product)
    else bad(`unknown product "${part}"; use ${PRODUCTS.join(', ')}`)
  }
  if (out.size === 0) bad(`--products needs at least one of ${PRODUCTS.join(', ')}`)
  return PRODUCTS.filter((p) => out.has(p))
}

/** What a caller may ask of `simulateDay`; only out, date, seed and orders are required. */
export interface SimulateOptions {
  /** Folder to write into (created; reference/, submissions/ and truth/ go inside). */
  readonly out: string
  /** Trading day to simulate, YYYY-MM-DD. */
  readonly date: string
  /** PRNG seed: a non-negative integer (up to 2^64 - 1). */
  readonly seed: number | bigint | string
  /** Orders that arrive during the day (each starts at least one lifecycle). */
  readonly orders: number
  /** @default 8 */
  readonly firms?: number
  /** @default 3 */
  readonly exchanges?: number
  /** @default 200, but at most one symbol per 20 orders (and at least 3) */
  readonly symbols?: number
  /** Customers (natural persons and legal entities) @default orders / 10, between 20 and 200,000 */
  readonly customers?: number
  /** @default 'json' */
  readonly format?: 'json' | 'csv'
  /** @default '4.0.0' */
  readonly fileVersion?: string
  /** Fraction of records (and of routes) given a labelled reporting fault. @default 0 */
  readonly faults?: number
  /** Abuse kinds to inject. @default none */
  readonly abuse?: readonly AbuseKind[]
  /** One firm's clock runs this many milliseconds off (negative: behind). @default 0 (no drift) */
  readonly clockDriftMs?: number
  /** Records per data file before a reporter's stream is split. @default 1,000,000 */
  readonly recordsPerFile?: number
  /** What the day trades; options need file version 4.1.0, multi-leg orders both other products. @default ['equities'] */
  readonly products?: readonly Product[]
  /** Where progress goes. @default SILENT */
  readonly progress?: Progress
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  readonly out: string
  readonly dateIso: string
  /** YYYYMMDD. */
  readonly date: number
  readonly seed: bigint
  readonly orders: number
  readonly firms: number
  readonly exchanges: number
  readonly symbols: number
  readonly customers: number
  readonly format: 'json' | 'csv'
  readonly fileVersion: '2.2.1' | '4.0.0' | '4.1.0'
  readonly faults: number
  readonly abuse: readonly AbuseKind[]
  readonly clockDriftMs: number
  readonly recordsPerFile: number
  readonly products: readonly Product[]
  readonly calendar: TradingCalendar
  readonly progress: Progress
}

function bad(message: string): never {
  throw new OpenCatError('OCAT_ERR_SIM_OPTIONS', message)
}

function integer(name: string, v: number | undefined, fallback: number, min: number, max: number): number {
  const x = v ?? fallback
  if (!Number.isInteger(x) || x < min || x > max)
    bad(`--${name} must be a whole number from ${min} to ${max}, got ${v}`)
  return x
}

/** Parses an abuse list such as `spoofing,wash` or `all`. */
export function parseAbuseList(text: string): AbuseKind[] {
  const out = new Set<AbuseKind>()
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part === 'all') for (const k of ABUSE_KINDS) out.add(k)
    else if ((ABUSE_KINDS as readonly string[]).includes(part)) out.add(part as AbuseKind)
    else bad(`unknown abuse kind "${part}"; use ${ABUSE_KINDS.join(', ')} or all`)
  }
  return ABUSE_KINDS.filter((k) => out.has(k))
}

function parseSeed(seed: number | bigint | string): bigint {
  const text = String(seed).trim()
  if (!/^[0-9]{1,20}$/.test(text)) bad(`--seed must be a non-negative whole number, got ${seed}`)
  const v = BigInt(text)
  if (v >= 1n << 64n) bad('--seed must be below 2^64')
  return v
}

/** Checks options and fills in defaults. */
export function resolveOptions(o: SimulateOptions): ResolvedOptions {
  if (!o.out) bad('--out is required')
  const date = isoToDate(o.date ?? '')
  if (date === null) bad(`--date must be a date YYYY-MM-DD, got ${o.date}`)
  const year = Math.floor(date / 10000)
  if (year < 2000 || year > 2100) bad(`--date must be between 2000 and 2100, got ${o.date}`)
  const calendar = nyseCalendar(year - 1, year + 1)
  if (!isTradingDay(calendar, date))
    bad(`--date ${o.date} is not a trading day (weekend or exchange holiday)`)
  const orders = integer('orders', o.orders, 0, 1, 1_000_000_000)
  const symbolsAsked = integer('symbols', o.symbols, 200, 1, 20_000)
  const format = o.format ?? 'json'
  if (format !== 'json' && format !== 'csv') bad(`--format must be json or csv, got ${format}`)
  const fileVersion = o.fileVersion ?? '4.0.0'
  if (fileVersion !== '2.2.1' && fileVersion !== '4.0.0' && fileVersion !== '4.1.0')
    bad(`--file-version must be 2.2.1, 4.0.0 or 4.1.0, got ${fileVersion}`)
  const faults = o.faults ?? 0
  if (!Number.isFinite(faults) || faults < 0 || faults > 0.5)
    bad(`--faults must be a rate from 0 to 0.5, got ${o.faults}`)
  const products = parseProducts((o.products ?? ['equities']).join(','))
  if (products.includes('options') && fileVersion !== '4.1.0')
    bad(`--products options needs --file-version 4.1.0, got ${fileVersion}`)
  if (products.includes('multileg') && !(products.includes('options') && products.includes('equities')))
    bad('--products multileg needs equities and options too (its legs are shares and option series)')
  const drift = o.clockDriftMs ?? 0
  if (!Number.isFinite(drift) || Math.abs(drift) > 3_600_000)
    bad(`--clock-drift must be at most an hour, got ${drift}`)
  return Object.freeze({
    out: o.out,
    dateIso: o.date,
    date,
    seed: parseSeed(o.seed),
    orders,
    firms: integer('firms', o.firms, 8, 5, 200),
    exchanges: integer('exchanges', o.exchanges, 3, 1, SIM_EXCHANGES.length),
    symbols: Math.min(symbolsAsked, Math.max(3, Math.floor(orders / 20))),
    customers: integer(
      'customers',
      o.customers,
      Math.min(200_000, Math.max(20, Math.round(orders / 10))),
      1,
      5_000_000,
    ),
    format,
    fileVersion,
    faults,
    abuse: parseAbuseList((o.abuse ?? []).join(',')),
    clockDriftMs: drift,
    recordsPerFile: integer('records-per-file', o.recordsPerFile, 1_000_000, 1, 1_000_000_000),
    products,
    calendar,
    progress: o.progress ?? SILENT,
  })
}
