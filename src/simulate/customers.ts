/**
 * Customers and accounts: natural persons and legal entities holding accounts (FDIDs) at one or more
 * brokers, large trader IDs, institutions' allocation sub-accounts, and each firm's own proprietary,
 * market-making and average-price accounts. Identifiers are synthetic (SSN areas 000 and 666, EIN prefix
 * 00 and ITINs are never issued that way) and the TID a broker derives is sha256('cat-tid-v1:' + id).
 */
import { createHash } from 'node:crypto'
import {
  FIRST_NAMES,
  FUND_ENDINGS,
  FUND_WORDS,
  LAST_NAMES,
  MIDDLE_INITIALS,
  STREETS,
  TOWNS,
} from './names.ts'
import { cumulative, type Rng } from './rng.ts'
import type { Firm, World } from './world.ts'

/** accountHolderType values the simulator uses. */
export type HolderType = 'I' | 'A' | 'E' | 'P' | 'O' | 'V'

/** A postal address. */
export interface Address {
  readonly line1: string
  readonly city: string
  readonly region: string
  readonly postalCode: string
}

/** A customer: a natural person or a legal entity (a firm's own entity for its firm accounts). */
export interface Person {
  readonly personId: string
  readonly kind: 'natural' | 'entity'
  readonly tidType: 'SSN' | 'ITIN' | 'EIN'
  readonly ssnOrEin: string
  readonly tid: string
  readonly name: string
  readonly firstName?: string
  readonly middleName?: string
  readonly lastName?: string
  readonly yearOfBirth?: number
  readonly lei?: string
  readonly address: Address
  /** The firm itself, for firm accounts. */
  readonly firmOwn?: boolean
  readonly accounts: Account[]
}

/** One trading account (one FDID) at one firm. */
export interface Account {
  readonly firm: Firm
  readonly fdid: string
  readonly holderType: HolderType
  readonly person: Person
  /** CAIS accountType (values unconfirmed in the spec digest). */
  readonly accountType: string
  readonly openedDate: number
  readonly ltid?: string
  /** Allocation sub-accounts (institutions): FDIDs that MEPA books shares to. */
  readonly allocations?: readonly Account[]
  /** Relative trading activity. */
  readonly weight: number
}

/** The TID a broker derives from an SSN, ITIN or EIN (OpenCAT's stand-in for CAT's transform). */
export function tidOf(ssnOrEin: string): string {
  return createHash('sha256').update(`cat-tid-v1:${ssnOrEin}`).digest('hex')
}

interface Pool {
  readonly accounts: Account[]
  cum: number[]
}

/** Per-firm pools of accounts to draw order flow from. */
export class AccountBook {
  readonly persons: Person[] = []
  private readonly retailPools = new Map<number, Pool>()
  private readonly institutionPools = new Map<number, Pool>()
  private readonly firmAccounts = new Map<string, Account>()
  /** Every account of every firm (for the CAIS files), by firm index. */
  readonly byFirm = new Map<number, Account[]>()

  /** A retail (individual or employee) account of the firm, busy ones more often. */
  retail(firm: Firm, rng: Rng): Account | undefined {
    return draw(this.retailPools.get(firm.index), rng)
  }

  /** An institutional account of the firm. */
  institution(firm: Firm, rng: Rng): Account | undefined {
    return draw(this.institutionPools.get(firm.index), rng)
  }

  /** One of the firm's own accounts: proprietary (P), market making (O) or average price (V). */
  own(firm: Firm, holderType: 'P' | 'O' | 'V'): Account {
    return this.firmAccounts.get(`${firm.index}:${holderType}`)!
  }

  /** Natural persons with accounts at two or more firms (wash trades use them). */
  multiBroker(): Person[] {
    return this.persons.filter(
      (p) => p.kind === 'natural' && new Set(p.accounts.map((a) => a.firm.index)).size >= 2,
    )
  }

  add(account: Account): void {
    account.person.accounts.push(account)
    const list = this.byFirm.get(account.firm.index) ?? []
    list.push(account)
    this.byFirm.set(account.firm.index, list)
    if (account.holderType === 'I' || account.holderType === 'E') push(this.retailPools, account)
    else if (account.holderType === 'A') push(this.institutionPools, account)
    else this.firmAccounts.set(`${account.firm.index}:${account.holderType}`, account)
  }

  /** Freezes the draw weights once every account is added. */
  seal(): void {
    for (const pools of [this.retailPools, this.institutionPools]) {
      for (const pool of pools.values()) pool.cum = cumulative(pool.accounts.map((a) => a.weight))
    }
  }
}

function push(pools: Map<number, Pool>, account: Account): void {
  const pool = pools.get(account.firm.index) ?? { accounts: [], cum: [] }
  pool.accounts.push(account)
  pools.set(account.firm.index, pool)
}

function draw(pool: Pool | undefined, rng: Rng): Account | undefined {
  if (!pool || pool.accounts.length === 0) return undefined
  return pool.accounts[rng.weighted(pool.cum)]
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

function code(rng: Rng, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += BASE36[rng.int(36)]
  return s
}

function digits(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** A never-issued SSN (areas 000 and 666), unique per index. */
function syntheticSsn(k: number): string {
  const serial = (k % 9999) + 1
  const group = (Math.floor(k / 9999) % 99) + 1
  const area = Math.floor(k / (9999 * 99)) % 2 === 0 ? '666' : '000'
  return `${area}-${digits(group, 2)}-${digits(serial, 4)}`
}

/** An ITIN-shaped number (9XX-7X-XXXX), unique per index. */
function syntheticItin(k: number): string {
  return `9${digits(k % 100, 2)}-${70 + (Math.floor(k / 100) % 19)}-${digits(Math.floor(k / 1900) % 10000, 4)}`
}

/** An EIN with the never-assigned prefix 00, unique per index. */
function syntheticEin(k: number): string {
  return `00-${digits(k % 10_000_000, 7)}`
}

/** ISO 17442 LEI: 18 characters and two ISO 7064 mod 97-10 check digits. */
function syntheticLei(rng: Rng): string {
  const base = `5493${'00'}${code(rng, 12)}`
  let rem = 0
  for (const ch of `${base}00`) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97
  }
  return base + digits(98 - rem, 2)
}

function address(rng: Rng): Address {
  const [city, region, zip] = rng.pick(TOWNS)
  return {
    line1: `${rng.range(1, 9899)} ${rng.pick(STREETS)}`,
    city,
    region,
    postalCode: `${zip}${digits(rng.int(100), 2)}`,
  }
}

function ltid(rng: Rng, used: Set<string>): string {
  for (;;) {
    const v = `${digits(rng.int(100_000_000), 8)}-${digits(rng.int(10_000), 4)}`
    if (!used.has(v)) {
      used.add(v)
      return v
    }
  }
}

/** Builds every customer and account of the day. */
export function buildAccounts(world: World, customers: number, rng: Rng, date: number): AccountBook {
  const book = new AccountBook()
  const fdids = new Set<string>()
  const ltids = new Set<string>()
  const fdid = (firm: Firm): string => {
    for (;;) {
      const v = `${firm.imid[0]}${code(rng, 9)}`
      if (!fdids.has(v)) {
        fdids.add(v)
        return v
      }
    }
  }
  // Up to 15 years before the trading day, never after it (a date later in its year goes a year back).
  const opened = (): number => {
    const y = Math.floor(date / 10000) - rng.int(15)
    const d = y * 10000 + rng.range(1, 12) * 100 + rng.range(1, 28)
    return d > date ? d - 10000 : d
  }
  const retailFirms = world.firms.filter(
    (f) => f.role === 'retail' || f.role === 'agency' || f.role === 'introducing',
  )
  const instFirms = world.firms.filter((f) => f.role === 'institutional' || f.role === 'agency')
  let naturalIndex = 0
  let entityIndex = 0
  for (let k = 0; k < customers; k++) {
    const natural = k % 5 !== 4
    let person: Person
    if (natural) {
      const itin = rng.chance(0.04)
      const id = itin ? syntheticItin(naturalIndex) : syntheticSsn(naturalIndex)
      naturalIndex++
      const firstName = rng.pick(FIRST_NAMES)
      const lastName = rng.pick(LAST_NAMES)
      const middleName = rng.chance(0.6) ? MIDDLE_INITIALS[rng.int(MIDDLE_INITIALS.length)] : undefined
      person = {
        personId: `P${digits(k + 1, 7)}`,
        kind: 'natural',
        tidType: itin ? 'ITIN' : 'SSN',
        ssnOrEin: id,
        tid: tidOf(id),
        name: [firstName, middleName, lastName].filter(Boolean).join(' '),
        firstName,
        middleName,
        lastName,
        yearOfBirth: rng.range(1940, 2004),
        address: address(rng),
        accounts: [],
      }
    } else {
      const id = syntheticEin(entityIndex++)
      person = {
        personId: `P${digits(k + 1, 7)}`,
        kind: 'entity',
        tidType: 'EIN',
        ssnOrEin: id,
        tid: tidOf(id),
        name: `${rng.pick(FUND_WORDS)} ${rng.pick(FUND_ENDINGS)}`,
        lei: syntheticLei(rng),
        address: address(rng),
        accounts: [],
      }
    }
    book.persons.push(person)
    const firms = natural ? retailFirms : instFirms
    const wanted = Math.min(firms.length, rng.chance(0.7) ? 1 : rng.chance(0.75) ? 2 : 3)
    const chosen = rng.shuffle([...firms]).slice(0, wanted)
    const large = natural ? rng.chance(0.02) : rng.chance(0.35)
    const personLtid = large ? ltid(rng, ltids) : undefined
    for (const firm of chosen) {
      const weight = rng.pareto(1, 1.3)
      if (natural) {
        const employee = rng.chance(0.01)
        book.add({
          firm,
          fdid: fdid(firm),
          holderType: employee ? 'E' : 'I',
          person,
          accountType: employee ? 'EMPLOYEE' : 'INDIVIDUAL',
          openedDate: opened(),
          ltid: personLtid,
          weight,
        })
      } else {
        const allocations: Account[] = []
        const n = 1 + rng.int(3)
        for (let i = 0; i < n; i++) {
          allocations.push({
            firm,
            fdid: fdid(firm),
            holderType: 'A',
            person,
            accountType: 'INSTITUTION',
            openedDate: opened(),
            ltid: personLtid,
            weight: 0,
          })
        }
        const main: Account = {
          firm,
          fdid: fdid(firm),
          holderType: 'A',
          person,
          accountType: 'INSTITUTION',
          openedDate: opened(),
          ltid: personLtid,
          allocations,
          weight,
        }
        book.add(main)
        for (const a of allocations) {
          person.accounts.push(a)
          book.byFirm.get(firm.index)!.push(a)
        }
      }
    }
  }
  for (const firm of world.firms) {
    const id = syntheticEin(entityIndex++)
    const person: Person = {
      personId: `F${digits(firm.crd, 7)}`,
      kind: 'entity',
      tidType: 'EIN',
      ssnOrEin: id,
      tid: tidOf(id),
      name: firm.name,
      lei: syntheticLei(rng),
      address: address(rng),
      firmOwn: true,
      accounts: [],
    }
    book.persons.push(person)
    const own = (holderType: 'P' | 'O' | 'V', prefix: string, accountType: string) =>
      book.add({
        firm,
        fdid: `${prefix}${firm.imid}${1 + rng.int(9)}`,
        holderType,
        person,
        accountType,
        openedDate: 20200101,
        weight: 1,
      })
    own('P', 'PROP', 'PROPRIETARY')
    own('O', 'MKTMK', 'MARKETMAKING')
    own('V', 'AVGPX', 'AVERAGEPRICE')
  }
  book.seal()
  return book
}
