import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DayReport, type SimulationSummary, simulateDay, verifyDay } from '../../src/simulate/index.ts'

const RECORD_KINDS = [
  'invalidSide',
  'quantityTrailingZero',
  'priceOnMarketOrder',
  'badTimestamp',
  'secondsOnlyTimestamp',
  'firmROEIDDate',
  'unknownField',
  'brokenLine',
  'recordTooLong',
  'unknownSymbol',
  'missingRequiredField',
  'reporterImidMismatch',
  'dayNotEventDate',
  'errorROEIDOnNew',
  'duplicateFirmROEID',
  'duplicateOrderKey',
  'outOfSequence',
]
const ROUTE_KINDS = ['routedOrderIdMismatch', 'wrongDestination', 'missingAccept', 'wrongSession']
const INTEGRITY_KINDS = ['hashMismatch', 'recordCountMismatch', 'missingMetadata', 'missingDataFile']

// Codes the record codec itself finds; the rest are cross-field or reference-data rules of later stages.
const CODEC_CODES: Record<string, number[]> = {
  invalidSide: [2095],
  quantityTrailingZero: [2076],
  badTimestamp: [2027],
  unknownField: [2133],
  brokenLine: [2134],
  recordTooLong: [2132],
}

for (const format of ['json', 'csv'] as const) {
  describe(`faults in a ${format} day`, () => {
    let dir: string
    let summary: SimulationSummary
    let report: DayReport

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `opencat-sim-faults-${format}-`))
      summary = await simulateDay({
        out: dir,
        date: '2026-03-05',
        seed: 77,
        orders: 2500,
        format,
        faults: 0.02,
        clockDriftMs: 120,
      })
      report = await verifyDay(dir)
    })

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it('labels every fault: nothing is wrong that faults.ndjson does not explain', () => {
      expect(report.problems).toEqual([])
    })

    it('injects every kind of fault when asked', () => {
      const kinds = new Set(report.faults.map((f) => f.kind))
      for (const k of [...RECORD_KINDS, ...ROUTE_KINDS, ...INTEGRITY_KINDS, 'clockDrift', 'keyNotFound'])
        expect(kinds, k).toContain(k)
      expect(summary.faults.total).toBe(report.faults.length)
    })

    it('labels ingestion faults with the codes the codec finds in the record at that file and line', () => {
      for (const f of report.faults.filter((x) => x.stage === 'ingestion')) {
        const found = report.decodedFaults.get(`${f.file}:${f.line}`)
        expect(found, `${f.kind} at ${f.file}:${f.line}`).toBeDefined()
        if (CODEC_CODES[f.kind]) expect(found, f.kind).toEqual(CODEC_CODES[f.kind])
        if (f.kind === 'missingRequiredField') expect(found).toEqual(f.codes)
        for (const code of found!) expect(f.codes, f.kind).toContain(code)
      }
    })

    it('labels broken route links for both sides with the named codes', () => {
      const mismatch = report.faults.filter((f) => f.kind === 'routedOrderIdMismatch')
      expect(mismatch.some((f) => f.codes[0] === 8003 && f.counterparty?.codes[0] === 8004)).toBe(true)
      expect(mismatch.some((f) => f.codes[0] === 9003 && f.counterparty?.codes[0] === 9004)).toBe(true)
      const wrong = report.faults.filter((f) => f.kind === 'wrongDestination')
      expect(wrong.some((f) => f.codes[0] === 8007 && f.counterparty?.codes[0] === 8008)).toBe(true)
      // Both records of a session mismatch stay unlinked: each reporter gets 6009, and the firm the
      // exchange's order names gets 7010.
      const session = report.faults.filter((f) => f.kind === 'wrongSession')
      expect(session.length).toBeGreaterThan(0)
      expect(session.every((f) => f.codes[0] === 6009)).toBe(true)
      const named = session.filter((f) => f.counterparty)
      expect(named.every((f) => f.counterparty!.codes[0] === 7010)).toBe(true)
      expect(named.length * 2).toBe(session.length)
      expect(report.faults.filter((f) => f.kind === 'missingAccept').every((f) => f.codes[0] === 8003)).toBe(
        true,
      )
    })

    it('writes integrity faults as extra files the fault names', async () => {
      const integrity = report.faults.filter((f) => f.stage === 'integrity')
      const all = (
        await Promise.all(
          (await readdir(join(dir, 'submissions'))).map((s) => readdir(join(dir, 'submissions', s))),
        )
      ).flat()
      for (const f of integrity) {
        if (f.kind === 'missingDataFile') expect(all).not.toContain(f.file)
        else expect(all).toContain(f.file)
      }
    })

    it('labels the drifting reporter and lets its links run backwards', async () => {
      const drift = report.faults.filter((f) => f.kind === 'clockDrift')
      expect(drift.length).toBeGreaterThanOrEqual(1)
      const text = await readFile(join(dir, 'truth', 'faults.ndjson'), 'utf8')
      expect(text).toContain('+120 ms')
    })
  })
}
