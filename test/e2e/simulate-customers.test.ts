import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bunzip2Buffer } from '../../src/common/bzip2.ts'
import { readMetadata, readRecords, simulateDay, tidOf } from '../../src/simulate/index.ts'

interface Customer {
  personId: string
  kind: 'natural' | 'entity'
  tid: string
  ssnOrEin: string
  name: string
  accounts: { crd: number; imid: string; fdid: string; ltid?: string }[]
}

interface CaisData {
  catReporterCRD: number
  catSubmitterID: number
  fdidRecordCount: number
  fdidRecordList: {
    firmDesignatedID: string
    fdidDate: number
    fdidCustomerList: { customerRecordID: string; roleStartDate: number }[]
  }[]
  naturalPersonCustomerRecordCount: number
  naturalPersonCustomerList: { customerRecordID: string }[]
  legalEntityCustomerRecordCount: number
  legalEntityCustomerList: { customerRecordID: string }[]
}

interface TidFile {
  tidRecordList: { customerRecordID: string; tidType: string; tid: string }[]
}

let dir: string
let customers: Customer[]
const cais = new Map<string, { data: CaisData; tid: TidFile; submitter: string }>()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opencat-sim-cais-'))
  await simulateDay({ out: dir, date: '2026-03-09', seed: 31, orders: 1500, customers: 300 })
  customers = (await readFile(join(dir, 'truth', 'customers.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  for (const submitter of await readdir(join(dir, 'submissions'))) {
    for (const name of await readdir(join(dir, 'submissions', submitter))) {
      const m = /^([0-9]+)_([0-9]+)_20260309_(CAISData|CAISTID)_000001\.json\.bz2$/.exec(name)
      if (!m) continue
      const text = bunzip2Buffer(await readFile(join(dir, 'submissions', submitter, name)))
      if (!text.ok) throw new Error(text.error)
      const entry = cais.get(m[2]) ?? ({ submitter } as { data: CaisData; tid: TidFile; submitter: string })
      if (m[3] === 'CAISData') entry.data = JSON.parse(text.data.toString())
      else entry.tid = JSON.parse(text.data.toString())
      cais.set(m[2], entry)
    }
  }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('customer and account files', () => {
  it('writes a paired CAIS data file and TID file per firm CRD', async () => {
    const reporters = JSON.parse(await readFile(join(dir, 'reference', 'reporters.json'), 'utf8'))
    expect([...cais.keys()].sort()).toEqual(reporters.firms.map((f: { crd: number }) => String(f.crd)).sort())
    for (const [crd, { data, tid, submitter }] of cais) {
      expect(data.catReporterCRD).toBe(Number(crd))
      expect(data.catSubmitterID).toBe(Number(submitter))
      expect(data.fdidRecordList).toHaveLength(data.fdidRecordCount)
      expect(data.naturalPersonCustomerList).toHaveLength(data.naturalPersonCustomerRecordCount)
      expect(data.legalEntityCustomerList).toHaveLength(data.legalEntityCustomerRecordCount)
      const ids = new Set(
        [...data.naturalPersonCustomerList, ...data.legalEntityCustomerList].map((c) => c.customerRecordID),
      )
      for (const r of data.fdidRecordList)
        for (const c of r.fdidCustomerList) expect(ids.has(c.customerRecordID)).toBe(true)
      expect(new Set(tid.tidRecordList.map((t) => t.customerRecordID))).toEqual(ids)
    }
  })

  it("opens every account on or before the trading day (its FDID date and its holders' start dates)", () => {
    let accounts = 0
    for (const { data } of cais.values())
      for (const r of data.fdidRecordList) {
        accounts++
        expect(r.fdidDate, r.firmDesignatedID).toBeLessThanOrEqual(20260309)
        for (const c of r.fdidCustomerList) expect(c.roleStartDate).toBeLessThanOrEqual(20260309)
      }
    expect(accounts).toBeGreaterThan(300)
  })

  it('gives the same person the same TID at every broker, derived from the SSN or EIN', () => {
    const multi = customers.filter((c) => new Set(c.accounts.map((a) => a.crd)).size >= 2)
    expect(multi.length).toBeGreaterThan(0)
    for (const c of customers) expect(c.tid).toBe(tidOf(c.ssnOrEin))
    for (const c of multi) {
      for (const a of c.accounts) {
        const { data, tid } = cais.get(String(a.crd))!
        const record = data.fdidRecordList.find((r) => r.firmDesignatedID === a.fdid)!
        const customerRecordID = record.fdidCustomerList[0].customerRecordID
        expect(tid.tidRecordList.find((t) => t.customerRecordID === customerRecordID)!.tid).toBe(c.tid)
      }
    }
  })

  it('keeps large trader IDs in the NNNNNNNN-NNNN format', () => {
    const ltids = customers.flatMap((c) => c.accounts.map((a) => a.ltid)).filter(Boolean)
    expect(ltids.length).toBeGreaterThan(0)
    for (const l of ltids) expect(l).toMatch(/^[0-9]{8}-[0-9]{4}$/)
  })

  it('uses in order events only FDIDs the CAIS files define, and never a raw SSN, EIN or name', async () => {
    const fdids = new Set<string>()
    for (const { data } of cais.values()) for (const r of data.fdidRecordList) fdids.add(r.firmDesignatedID)
    const secrets = new Set(customers.flatMap((c) => [c.ssnOrEin, c.name, c.ssnOrEin.replaceAll('-', '')]))
    let checked = 0
    for await (const r of readRecords(dir, await readMetadata(dir))) {
      const fdid = r.decoded.values.firmDesignatedID
      if (typeof fdid === 'string' && fdid !== 'PENDING') expect(fdids.has(fdid), fdid).toBe(true)
      for (const token of r.text.split(/[",:{}[\]|@=]+/))
        if (secrets.has(token)) throw new Error(`${r.file}:${r.line} leaks ${token}`)
      checked++
    }
    expect(checked).toBeGreaterThan(1000)
  })
})
