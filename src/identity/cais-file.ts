/**
 * Reads and checks a pair of customer files (CAIS data file + TID file, docs/formats/cais.md): accounts
 * (FDIDs) with their holders, large trader IDs and dates; natural-person and legal-entity customers; one
 * transformed identifier (TID) per customer. Findings carry OpenCAT's customer-file codes (CUSTOMER_CODE)
 * and name records by FDID and customerRecordID only: no PII ever goes into a finding.
 */
import { CUSTOMER_CODE as C } from '../catalogue/index.ts'
import { parseCatDate } from '../common/time/cat-date.ts'

/** One holder of an account over a period. */
export interface Holder {
  readonly customerRecordID: string
  readonly role: string
  readonly hasDiscretion: boolean
  readonly from: number
  readonly to: number | null
}

/** One account (FDID) record. */
export interface Account {
  readonly index: number
  readonly fdid: string
  readonly fdidType: string
  readonly accountTypes: string[]
  readonly from: number
  readonly to: number | null
  readonly endReason: string | null
  readonly replacedBy: string | null
  readonly ltids: { ltid: string; from: number; to: number | null }[]
  readonly holders: Holder[]
}

/** The personal data of a customer: kept only in the PII vault. */
export interface CustomerPii {
  readonly kind: 'natural' | 'entity'
  readonly customerRecordID: string
  readonly fields: Record<string, unknown>
}

/** A customer-file problem. */
export interface CaisFinding {
  readonly code: number
  readonly where: string
  readonly fdid?: string
  readonly customerRecordID?: string
  readonly message: string
}

/** A checked pair of customer files. */
export interface CaisPair {
  readonly crd: string
  readonly accounts: Account[]
  readonly customers: Map<string, CustomerPii>
  readonly tids: Map<string, { tidType: string; tid: string }>
  readonly findings: CaisFinding[]
  /** Accounts whose records passed every check. */
  readonly accepted: Account[]
  /** The files are not of the expected shape at all: the pair is refused whole (its only finding says why). */
  readonly refused?: boolean
}

const FDID = /^[\x20\x21\x23-\x2b\x2d-\x3f\x41-\x7b\x7d\x7e]{1,40}$/
const LTID = /^([0-9]{8}-[0-9]{4}|ULT[0-9A-Z]{5}-[0-9A-Z]{4})$/
const EIN = /^[0-9]{2}-[0-9]{7}$/
const LEI = /^[0-9A-Z]{20}$/
const TID = /^[0-9a-f]{64}$/
const TID_TYPES = new Set(['SSN', 'ITIN', 'EIN', 'FOREIGN'])

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function date(v: unknown): number | null {
  return typeof v === 'number' ? parseCatDate(String(v)) : null
}

/** Checks a parsed data document and TID document against each other and the file names. */
export function checkCaisPair(
  data: unknown,
  tidDoc: unknown,
  names: { crd: string; submitter: string },
): CaisPair {
  const findings: CaisFinding[] = []
  const empty: CaisPair = {
    crd: names.crd,
    accounts: [],
    customers: new Map(),
    tids: new Map(),
    findings,
    accepted: [],
    refused: true,
  }
  if (!isObj(data) || !Array.isArray(data.fdidRecordList)) {
    findings.push({
      code: C.notJson,
      where: 'data file',
      message: 'the data file must be a JSON object with fdidRecordList',
    })
    return empty
  }
  if (!isObj(tidDoc) || !Array.isArray(tidDoc.tidRecordList)) {
    findings.push({
      code: C.notJson,
      where: 'TID file',
      message: 'the TID file must be a JSON object with tidRecordList',
    })
    return empty
  }
  if (String(data.catReporterCRD) !== names.crd || String(data.catSubmitterID) !== names.submitter) {
    findings.push({
      code: C.namesDiffer,
      where: 'data file',
      message: 'catReporterCRD and catSubmitterID must match the file name',
    })
  }
  const counts: [string, string][] = [
    ['fdidRecordCount', 'fdidRecordList'],
    ['naturalPersonCustomerRecordCount', 'naturalPersonCustomerList'],
    ['legalEntityCustomerRecordCount', 'legalEntityCustomerList'],
  ]
  for (const [count, list] of counts) {
    const items = data[list]
    if (data[count] !== undefined && (!Array.isArray(items) ? 0 : items.length) !== data[count]) {
      findings.push({
        code: C.countMismatch,
        where: list,
        message: `${count} does not equal the length of ${list}`,
      })
    }
  }
  if (tidDoc.tidRecordCount !== undefined && tidDoc.tidRecordCount !== tidDoc.tidRecordList.length) {
    findings.push({
      code: C.countMismatch,
      where: 'tidRecordList',
      message: 'tidRecordCount does not equal the length of tidRecordList',
    })
  }

  const customers = new Map<string, CustomerPii>()
  const badCustomers = new Set<string>()
  const addCustomer = (kind: 'natural' | 'entity', c: unknown, i: number) => {
    const where = `${kind === 'natural' ? 'naturalPersonCustomerList' : 'legalEntityCustomerList'}[${i}]`
    if (!isObj(c) || typeof c.customerRecordID !== 'string' || c.customerRecordID === '') {
      findings.push({
        code: kind === 'natural' ? C.naturalPersonInvalid : C.legalEntityInvalid,
        where,
        message: 'customerRecordID is required',
      })
      return
    }
    const id = c.customerRecordID
    if (customers.has(id)) {
      findings.push({
        code: C.customerTwice,
        where,
        customerRecordID: id,
        message: 'customerRecordID appears twice',
      })
      badCustomers.add(id)
      return
    }
    if (kind === 'natural') {
      if (
        typeof c.lastName !== 'string' ||
        typeof c.firstName !== 'string' ||
        typeof c.yearOfBirth !== 'number'
      ) {
        findings.push({
          code: C.naturalPersonInvalid,
          where,
          customerRecordID: id,
          message: 'firstName, lastName and yearOfBirth are required',
        })
        badCustomers.add(id)
      }
    } else {
      if (typeof c.legalName !== 'string') {
        findings.push({
          code: C.legalEntityInvalid,
          where,
          customerRecordID: id,
          message: 'legalName is required',
        })
        badCustomers.add(id)
      }
      if (c.ein !== undefined && (typeof c.ein !== 'string' || !EIN.test(c.ein))) {
        findings.push({
          code: C.legalEntityInvalid,
          where,
          customerRecordID: id,
          message: 'ein must be NN-NNNNNNN',
        })
        badCustomers.add(id)
      }
      if (c.lei !== undefined && (typeof c.lei !== 'string' || !LEI.test(c.lei))) {
        findings.push({
          code: C.leiInvalid,
          where,
          customerRecordID: id,
          message: 'lei must be 20 letters and digits',
        })
        badCustomers.add(id)
      }
    }
    const { customerRecordID: _id, ...fields } = c
    customers.set(id, { kind, customerRecordID: id, fields })
  }
  ;(Array.isArray(data.naturalPersonCustomerList) ? data.naturalPersonCustomerList : []).forEach((c, i) =>
    addCustomer('natural', c, i),
  )
  ;(Array.isArray(data.legalEntityCustomerList) ? data.legalEntityCustomerList : []).forEach((c, i) =>
    addCustomer('entity', c, i),
  )

  const tids = new Map<string, { tidType: string; tid: string }>()
  tidDoc.tidRecordList.forEach((t, i) => {
    const where = `tidRecordList[${i}]`
    if (!isObj(t) || typeof t.customerRecordID !== 'string') {
      findings.push({ code: C.tidInvalid, where, message: 'customerRecordID is required' })
      return
    }
    const id = t.customerRecordID
    if (!customers.has(id)) {
      findings.push({
        code: C.tidCustomerUnknown,
        where,
        customerRecordID: id,
        message: 'names a customer that is not in the data file',
      })
      return
    }
    if (
      typeof t.tid !== 'string' ||
      !TID.test(t.tid) ||
      typeof t.tidType !== 'string' ||
      !TID_TYPES.has(t.tidType)
    ) {
      findings.push({
        code: C.tidInvalid,
        where,
        customerRecordID: id,
        message: 'tid must be 64 hexadecimal characters and tidType SSN, ITIN, EIN or FOREIGN',
      })
      badCustomers.add(id)
      return
    }
    tids.set(id, { tidType: t.tidType, tid: t.tid })
  })
  for (const id of customers.keys()) {
    if (!tids.has(id) && !badCustomers.has(id)) {
      findings.push({
        code: C.tidMissing,
        where: 'tidRecordList',
        customerRecordID: id,
        message: 'the customer has no TID record',
      })
      badCustomers.add(id)
    }
  }

  const accounts: Account[] = []
  const accepted: Account[] = []
  const seen = new Set<string>()
  data.fdidRecordList.forEach((r, index) => {
    const where = `fdidRecordList[${index}]`
    if (!isObj(r) || typeof r.firmDesignatedID !== 'string' || !FDID.test(r.firmDesignatedID)) {
      findings.push({ code: C.fdidInvalid, where, message: 'firmDesignatedID missing or not Text(40)' })
      return
    }
    const fdid = r.firmDesignatedID
    const problems: CaisFinding[] = []
    const fail = (code: number, message: string, customerRecordID?: string) =>
      problems.push({ code, where, fdid, message, ...(customerRecordID ? { customerRecordID } : {}) })
    if (seen.has(fdid)) fail(C.fdidTwice, 'firmDesignatedID appears twice in the file')
    seen.add(fdid)
    const from = date(r.fdidDate)
    if (from === null) fail(C.datesInvalid, 'fdidDate must be a date YYYYMMDD')
    const to = r.fdidEndDate === undefined ? null : date(r.fdidEndDate)
    if (r.fdidEndDate !== undefined && to === null)
      fail(C.datesInvalid, 'fdidEndDate must be a date YYYYMMDD')
    if (
      typeof r.fdidType !== 'string' ||
      !Array.isArray(r.accountType) ||
      r.accountType.some((a) => typeof a !== 'string')
    ) {
      fail(C.accountTypeInvalid, 'fdidType and accountType are required')
    }
    const ltids = (Array.isArray(r.largeTraderList) ? r.largeTraderList : []).map((l) => {
      const ok = isObj(l) && typeof l.largeTraderID === 'string' && LTID.test(l.largeTraderID)
      if (!ok) fail(C.ltidInvalid, 'largeTraderID must be NNNNNNNN-NNNN or ULT#####-####')
      const lf = isObj(l) ? (date(l.ltidEffectiveDate) ?? from ?? 0) : 0
      return {
        ltid: ok ? (l.largeTraderID as string) : '',
        from: lf,
        to: isObj(l) && l.ltidEndDate !== undefined ? date(l.ltidEndDate) : null,
      }
    })
    const holders: Holder[] = []
    for (const h of Array.isArray(r.fdidCustomerList) ? r.fdidCustomerList : []) {
      if (!isObj(h) || typeof h.customerRecordID !== 'string' || !customers.has(h.customerRecordID)) {
        fail(
          C.holderUnknown,
          'an fdidCustomerList entry names a customerRecordID that is not in the file',
          isObj(h) && typeof h.customerRecordID === 'string' ? h.customerRecordID : undefined,
        )
        continue
      }
      if (badCustomers.has(h.customerRecordID)) {
        fail(C.holderUnknown, 'the account holder was refused (see its own finding)', h.customerRecordID)
        continue
      }
      const hf = h.roleStartDate === undefined ? from : date(h.roleStartDate)
      if (hf === null) fail(C.datesInvalid, 'roleStartDate must be a date YYYYMMDD', h.customerRecordID)
      holders.push({
        customerRecordID: h.customerRecordID,
        role: typeof h.role === 'string' ? h.role : 'HOLDER',
        hasDiscretion: h.hasDiscretion === true,
        from: hf ?? 0,
        to: h.roleEndDate === undefined ? to : date(h.roleEndDate),
      })
    }
    if (holders.length === 0 && problems.length === 0)
      fail(C.holderUnknown, 'an account needs at least one customer')
    const account: Account = {
      index,
      fdid,
      fdidType: typeof r.fdidType === 'string' ? r.fdidType : '',
      accountTypes: Array.isArray(r.accountType) ? (r.accountType as string[]) : [],
      from: from ?? 0,
      to,
      endReason: typeof r.fdidEndReason === 'string' ? r.fdidEndReason : null,
      replacedBy: typeof r.replacedByFDID === 'string' ? r.replacedByFDID : null,
      ltids,
      holders,
    }
    accounts.push(account)
    if (problems.length === 0) accepted.push(account)
    findings.push(...problems)
  })
  return { crd: names.crd, accounts, customers, tids, findings, accepted }
}
