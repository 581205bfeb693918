/**
 * Customer files: for every firm (by CRD) a CAIS data file (FDID records with account types, large
 * trader IDs and customer roles; natural-person and legal-entity customers) and its paired TID file
 * (customerRecordID → transformed identifier), in the layout of docs/formats/cais.md; and the identity
 * oracle truth/customers.ndjson with the raw identifiers a leak test looks for.
 */
import { join } from 'node:path'
import { bzip2Writer } from '../common/bzip2.ts'
import { BufferedOutput } from './buffered-output.ts'
import type { Account, AccountBook, Address, Person } from './customers.ts'
import type { TruthRecorder } from './truth-recorder.ts'
import type { Firm, World } from './world.ts'

/** Schema version written in both files (full CAIS). */
export const CAIS_VERSION = '2.0.0'

function addressList(a: Address): unknown[] {
  return [
    {
      addrType: 'ADDRESS1',
      addrLine1: a.line1,
      city: a.city,
      regionCode: a.region,
      countryCode: 'US',
      postalCode: a.postalCode,
    },
  ]
}

function fdidRecord(account: Account, customerRecordID: string): unknown {
  const record: Record<string, unknown> = {
    firmDesignatedID: account.fdid,
    fdidType: 'ACCOUNT',
    accountType: [account.accountType],
    fdidDate: account.openedDate,
  }
  if (account.ltid)
    record.largeTraderList = [{ largeTraderID: account.ltid, ltidEffectiveDate: account.openedDate }]
  record.fdidCustomerList = [
    { customerRecordID, role: 'HOLDER', hasDiscretion: true, roleStartDate: account.openedDate },
  ]
  return record
}

function naturalPerson(p: Person, customerRecordID: string): unknown {
  const v: Record<string, unknown> = { customerRecordID, firstName: p.firstName }
  if (p.middleName) v.middleName = p.middleName
  v.lastName = p.lastName
  v.yearOfBirth = p.yearOfBirth
  v.addressList = addressList(p.address)
  return v
}

function legalEntity(p: Person, customerRecordID: string): unknown {
  return {
    customerRecordID,
    legalName: p.name,
    ein: p.ssnOrEin,
    lei: p.lei,
    customerType: [p.firmOwn ? 'BROKERDEALER' : 'INSTITUTION'],
    addressList: addressList(p.address),
  }
}

async function writeJsonFile(path: string, write: (out: BufferedOutput) => void): Promise<void> {
  const w = bzip2Writer(path, 9)
  const out = new BufferedOutput(w.stream)
  write(out)
  await out.end()
  await w.done
}

function list(out: BufferedOutput, items: readonly unknown[]): void {
  out.write('[')
  for (let i = 0; i < items.length; i++) out.write(`${i > 0 ? ',' : ''}\n${JSON.stringify(items[i])}`)
  out.write(items.length > 0 ? '\n]' : ']')
}

/** Writes one firm's CAIS data file and TID file (number 000001 pairs them). */
async function writeFirmFiles(
  dir: string,
  firm: Firm,
  accounts: readonly Account[],
  date: number,
): Promise<void> {
  const recordIds = new Map<Person, string>()
  for (const a of accounts)
    if (!recordIds.has(a.person)) recordIds.set(a.person, `C${String(recordIds.size + 1).padStart(7, '0')}`)
  const persons = [...recordIds.keys()]
  const natural = persons.filter((p) => p.kind === 'natural')
  const entities = persons.filter((p) => p.kind === 'entity')
  const base = `${firm.submitterId}_${firm.crd}_${date}`
  await writeJsonFile(join(dir, `${base}_CAISData_000001.json.bz2`), (out) => {
    out.write(
      `{"version":"${CAIS_VERSION}","catReporterCRD":${firm.crd},"catSubmitterID":${firm.submitterId},`,
    )
    out.write(`"fdidRecordCount":${accounts.length},"fdidRecordList":`)
    list(
      out,
      accounts.map((a) => fdidRecord(a, recordIds.get(a.person)!)),
    )
    out.write(`,"naturalPersonCustomerRecordCount":${natural.length},"naturalPersonCustomerList":`)
    list(
      out,
      natural.map((p) => naturalPerson(p, recordIds.get(p)!)),
    )
    out.write(`,"legalEntityCustomerRecordCount":${entities.length},"legalEntityCustomerList":`)
    list(
      out,
      entities.map((p) => legalEntity(p, recordIds.get(p)!)),
    )
    out.write('}\n')
  })
  await writeJsonFile(join(dir, `${base}_CAISTID_000001.json.bz2`), (out) => {
    out.write(`{"version":"${CAIS_VERSION}","tidRecordCount":${persons.length},"tidRecordList":`)
    list(
      out,
      persons.map((p) => ({ customerRecordID: recordIds.get(p)!, tidType: p.tidType, tid: p.tid })),
    )
    out.write('}\n')
  })
}

/** Writes every firm's CAIS pair into its submitter's folder, and truth/customers.ndjson. */
export async function writeCustomerFiles(
  submissions: string,
  world: World,
  book: AccountBook,
  truth: TruthRecorder,
  date: number,
): Promise<void> {
  for (const firm of world.firms) {
    await writeFirmFiles(
      join(submissions, String(firm.submitterId)),
      firm,
      book.byFirm.get(firm.index) ?? [],
      date,
    )
  }
  for (const p of book.persons) {
    truth.line('customers', {
      personId: p.personId,
      kind: p.kind,
      tid: p.tid,
      ssnOrEin: p.ssnOrEin,
      name: p.name,
      accounts: p.accounts.map((a) => ({
        crd: a.firm.crd,
        imid: a.firm.imid,
        fdid: a.fdid,
        ...(a.ltid ? { ltid: a.ltid } : {}),
      })),
    })
  }
}
