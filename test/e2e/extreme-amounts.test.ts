/**
 * Prices and quantities at the top of the spec's ranges (Price Numeric(18,8) up to 9999999999.99999999,
 * Real Quantity Numeric(18,6) up to 999999999999.999999), generated with fast-check and written into a
 * simulated day's order and execution records before submission: the blue sheet, customer activity and
 * market replay answer them exactly, as BigInt arithmetic over the submitted text says.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { bunzip2Buffer, bzip2Buffer } from '../../src/common/bzip2.ts'
import {
  averagePrice,
  busiestSymbol,
  type ExpectedLine,
  expectedBlueSheet,
  rawNumber,
  submittedRecords,
  units,
  unitsText,
} from '../support/blue-sheet-truth.ts'
import { runCli } from '../support/cli.ts'
import { simulatedDay } from '../support/simulated-day.ts'

const MAX_PRICE = 999_999_999_999_999_999n // 9999999999.99999999 in 10^-8 units
const MAX_QTY = 999_999_999_999_999_999n // 999999999999.999999 in 10^-6 units
const SPREAD = 10n ** 12n

// Amounts within 10^12 units of the maximum, and the maximum itself.
const extreme = fc.tuple(
  fc.oneof(fc.constant(MAX_PRICE), fc.bigInt({ min: MAX_PRICE - SPREAD, max: MAX_PRICE })),
  fc.oneof(fc.constant(MAX_QTY), fc.bigInt({ min: MAX_QTY - SPREAD, max: MAX_QTY })),
)

const AMOUNT_TYPES = new Set(['MENO', 'MEOT', 'MEOF', 'EXOT'])

let day: string
let repo: string
let symbol: string
let expected: Map<string, ExpectedLine>
let records: ReturnType<typeof submittedRecords>

/** Rewrites every order and execution record of `symbol` with generated extreme amounts; fixes the metadata. */
function writeExtremes(day: string, symbol: string): number {
  const root = join(day, 'submissions')
  const amounts = fc.sample(extreme, { seed: 20260302, numRuns: 5000 })
  let next = 0
  for (const sub of readdirSync(root)) {
    for (const name of readdirSync(join(root, sub)).filter((n) =>
      /_(Order|Exchange)Events_\d+\.json\.bz2$/.test(n),
    )) {
      const path = join(root, sub, name)
      const unpacked = bunzip2Buffer(readFileSync(path))
      if (!unpacked.ok) throw new Error(unpacked.error)
      const lines = unpacked.data
        .toString('utf8')
        .split('\n')
        .map((line) => {
          if (!line.includes(`"symbol":"${symbol}"`)) return line
          const type = /"type":"([A-Z]+)"/.exec(line)?.[1] ?? ''
          if (!AMOUNT_TYPES.has(type) || !/"price":/.test(line)) return line
          const [price, qty] = amounts[next++ % amounts.length]
          return line
            .replace(/"price":[-0-9.]+/, `"price":${unitsText(price, 8)}`)
            .replace(/"quantity":[0-9.]+/, `"quantity":${unitsText(qty, 6)}`)
        })
      const body = bzip2Buffer(lines.join('\n'))
      writeFileSync(path, body)
      const metaPath = path.replace(/\.json\.bz2$/, '.meta.json')
      const meta = JSON.parse(readFileSync(metaPath, 'utf8'))
      for (const f of meta.files)
        if (f.fileName === name)
          f.compressedHash = createHash('sha256').update(body).digest('hex').toUpperCase()
      writeFileSync(metaPath, JSON.stringify(meta, null, 2))
    }
  }
  return next
}

beforeAll(async () => {
  day = await simulatedDay({ orders: 400, customers: 60, faults: 0, seed: 5 })
  symbol = busiestSymbol(day)
  expect(writeExtremes(day, symbol)).toBeGreaterThan(20)
  repo = join(day, '..', 'repo')
  expect((await runCli(['init', '--repo', repo, '--reference', join(day, 'reference')])).code).toBe(0)
  const s = await runCli([
    'submit',
    '--repo',
    repo,
    '--at',
    '2026-03-02T20:00:00',
    '--json',
    join(day, 'submissions'),
  ])
  expect(s.code, s.stderr).toBe(0)
  expect(JSON.parse(s.stdout)).toMatchObject({ rejected: 0 })
  expected = expectedBlueSheet(day, symbol, 20260302).lines
  records = submittedRecords(day)
}, 300_000)

describe('amounts at the top of the spec ranges', { timeout: 180_000 }, () => {
  it('give an exact blue sheet', async () => {
    const r = await runCli([
      'bluesheet',
      '--repo',
      repo,
      '--symbol',
      symbol,
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const got = new Map(
      (
        JSON.parse(r.stdout).rows as {
          broker: string
          fdid: string
          side: string
          trades: number
          shares: string
          averagePrice: string
        }[]
      ).map((l) => [`${l.broker} ${l.fdid} ${l.side}`, l]),
    )
    expect(expected.size).toBeGreaterThan(2)
    for (const [key, want] of expected) {
      // Sums far beyond 38 digits' worth of 10^-14 units when a line has many extreme executions.
      expect(want.notional).toBeGreaterThan(10n ** 35n)
      const line = got.get(key)
      expect(line, key).toBeDefined()
      expect(line!.trades, key).toBe(want.trades)
      expect(line!.shares, key).toBe(unitsText(want.shares, 6))
      expect(line!.averagePrice, key).toBe(unitsText(averagePrice(want), 8))
    }
  })

  it('come back exactly in customer activity', async () => {
    const [broker, fdid] = [...expected.keys()][0].split(' ')
    const r = await runCli([
      'customer',
      '--repo',
      repo,
      '--reporter',
      broker,
      '--fdid',
      fdid,
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const orders = (
      JSON.parse(r.stdout).events as {
        reporter: string
        firmROEID: string
        type: string
        symbol: string
        price: string
        quantity: string
      }[]
    ).filter((e) => e.type === 'MENO' && e.symbol === symbol && e.price !== null)
    expect(orders.length).toBeGreaterThan(0)
    for (const e of orders) {
      const raw = records.get(`${e.reporter} ${e.firmROEID}`)!.raw
      expect(units(e.price, 8), e.firmROEID).toBe(units(rawNumber(raw, 'price'), 8))
      expect(units(e.quantity, 6), e.firmROEID).toBe(units(rawNumber(raw, 'quantity'), 6))
      expect(units(e.quantity, 6)).toBeGreaterThan(MAX_QTY - SPREAD - 1n)
    }
  })

  it('come back exactly in the market replay', async () => {
    const r = await runCli([
      'replay',
      '--repo',
      repo,
      '--symbols',
      symbol,
      '--from',
      '2026-03-02T04:00:00',
      '--to',
      '2026-03-02T20:00:00',
      '--json',
    ])
    expect(r.code, r.stderr).toBe(0)
    const executions = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((x) => x.type === 'EXOT')
    expect(executions.length).toBeGreaterThan(0)
    for (const x of executions) {
      const raw = records.get(`${x.reporter} ${x.firmROEID}`)!.raw
      expect(units(x.price, 8)).toBe(units(rawNumber(raw, 'price'), 8))
      expect(units(x.quantity, 6)).toBe(units(rawNumber(raw, 'quantity'), 6))
      expect(units(x.price, 8)).toBeGreaterThan(MAX_PRICE - SPREAD - 1n)
    }
  })
})
