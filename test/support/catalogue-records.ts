/**
 * One valid record of any event type, built from the catalogue alone: every Required field, and the
 * Conditional ones the rules ask for, filled for the fixture market of fixtures.ts (reporter ALDR routing to
 * BRCH, symbol XYZ, event date 20260302). Values are chosen by field name and data type, never from a list
 * of fields per event type, so a new layout gets its record without a line written for it.
 */
import type { Catalogue, DataType, EventField, EventSpec } from '../../src/catalogue/index.ts'
import type { Element, Scalar, Timestamp, Value, Values } from '../../src/codec/index.ts'
import { encodeCsvRecord, encodeJsonRecord } from '../../src/codec/index.ts'
import { parseCatTimestamp } from '../../src/common/time/cat-timestamp.ts'
import { DATE } from './fixtures.ts'

/** The reporter's own IMID (CRD:MPID), and the firm it routes to and receives from. */
export const OWN_IMID = '104001:ALDR'
export const OTHER_IMID = '104002:BRCH'
/** An OSI option symbol on XYZ: root padded to six, expiry YYMMDD, C or P, strike × 1000 in eight digits. */
export const OPTION_ID = 'XYZ   260320C00010000'

function at(hms: string): Timestamp {
  const p = parseCatTimestamp(`${DATE}T${hms}`, false)
  if (!p.ok) throw new Error(`bad fixture time ${hms}`)
  return { ns: p.ns, digits: 3, form: 'string' }
}

const KEY_TIME = at('093000.000')
const EVENT_TIME = at('100000.000')

/** Values of choice lists that keep the other fields simple (a limit order routed to a firm, ...). */
const CHOICE: Record<string, string> = {
  side: 'B',
  orderType: 'LMT',
  destinationType: 'F',
  senderType: 'F',
  deptType: 'A',
  representativeInd: 'N',
  sideDetailsInd: 'BUY',
  fulfillmentLinkType: 'FOR',
  accountHolderType: 'A',
  tradingSession: 'REG',
  capacity: 'A',
  initiator: 'C',
  isoInd: 'NA',
  mpStatusCode: 'O',
  allocationType: 'CUS',
  openCloseIndicator: 'Open',
  marketCenterID: 'L',
  priceType: 'PU',
}

/** Values by field name where the name says more than the type. */
function named(name: string, event: EventSpec): Value | undefined {
  switch (name) {
    case 'actionType':
      return 'NEW'
    case 'type':
      return event.type
    case 'firmROEID':
      return `${DATE}_${event.type}_1`
    case 'CATReporterIMID':
      return 'ALDR'
    case 'eventTimestamp':
      return EVENT_TIME
    case 'symbol':
    case 'underlying':
      return 'XYZ'
    case 'optionID':
      return OPTION_ID
    case 'price':
      return '10.01'
    case 'quantity':
      return '500'
    case 'leavesQty':
      return '400'
    case 'cancelQty':
      return '100'
    case 'numberOfLegs':
      return '2'
    case 'timeInForce':
      return { DAY: Number(DATE) }
    case 'tradeDate':
      return Number(DATE)
    case 'clearingFirm':
      return '104001'
    case 'receiverIMID':
      return OWN_IMID
    case 'destination':
      return OTHER_IMID
    case 'senderIMID':
      // On a route the reporter sends; on an accept (or a received quote) the other firm sent.
      return event.byName.has('destination') ? OWN_IMID : OTHER_IMID
    case 'firmDesignatedID':
      return 'ACCT1'
    case 'legDetails':
      return [
        { legRefID: 'L1', optionID: OPTION_ID, openCloseIndicator: 'Open', side: 'B', legRatioQuantity: '1' },
        { legRefID: 'L2', symbol: 'XYZ', side: 'SL', legRatioQuantity: '100' },
      ]
    default:
      return undefined
  }
}

/** Conditional fields a valid record of the fixture market needs, given the layout. */
function wanted(field: EventField, event: EventSpec): boolean {
  if (field.include === 'R') return true
  if (field.include !== 'C') return false
  const has = (n: string) => event.byName.has(n)
  switch (field.name) {
    case 'price':
      return has('orderType')
    case 'destination':
      return event.byName.get('destinationType')?.include === 'R'
    case 'routedOrderID':
    case 'senderIMID':
      return (
        event.byName.get('destinationType')?.include === 'R' ||
        event.byName.get('senderType')?.include === 'R'
      )
    case 'tapeTradeID':
    case 'marketCenterID':
      return has('reportingExceptionCode')
    case 'buyDetails':
      return has('sideDetailsInd')
    default:
      return false
  }
}

function scalarFor(type: DataType, cat: Catalogue, name: string): Scalar {
  switch (type.kind) {
    case 'text':
    case 'alphanumeric':
      return `${name.replace(/[^A-Za-z0-9]/g, '').slice(0, Math.max(1, type.max - 1))}1`.slice(0, type.max)
    case 'choice':
      return CHOICE[type.list] ?? [...cat.choices.get(type.list)!][0]
    case 'price':
      return '10.01'
    case 'realQuantity':
    case 'wholeQuantity':
      return '100'
    case 'integer':
    case 'unsigned':
      return '1'
    case 'boolean':
      return false
    case 'date':
      return Number(DATE)
    case 'timestamp':
      return name === 'eventTimestamp' ? EVENT_TIME : KEY_TIME
    case 'symbol':
      return 'XYZ'
    case 'reporterIMID':
      return 'ALDR'
    case 'imid':
    case 'imidOrExchange':
      return OTHER_IMID
    case 'exchangeID':
      return 'NSDQ'
    default:
      throw new Error(`no fixture scalar for ${type.kind} (${name})`)
  }
}

/** One valid element of a multi-dimensional array field. */
export function elementFor(field: EventField, cat: Catalogue): Element {
  const el: Element = Object.create(null)
  for (const sub of field.elements!) {
    if (sub.spec.type.kind === 'reserved') continue
    const keyed = sub.name === 'orderID' || sub.name === 'orderKeyDate'
    if (sub.include === 'R' || keyed || sub.name === 'side')
      el[sub.name] = (named(sub.name, EMPTY) as Scalar | undefined) ?? scalarFor(sub.spec.type, cat, sub.name)
  }
  return el
}

const EMPTY = { type: '', byName: new Map() } as unknown as EventSpec

/** A valid NEW record of the event type, as typed values; `n` makes its ids unique among several. */
export function validValues(event: EventSpec, cat: Catalogue, n = 1): Values {
  const out: Values = {}
  for (const field of event.fields) {
    if (field.name === 'reservedForFutureUse' || !wanted(field, event)) continue
    const type = field.spec.type
    let v = named(field.name, event)
    if (v === undefined) {
      if (type.kind === 'records') v = [elementFor(field, cat)]
      else if (type.kind === 'array') v = ['X1']
      else if (type.kind === 'nameValue')
        v = { [[...cat.nameValues.get(type.pairs)!.entries.keys()][0]]: true }
      else v = scalarFor(type, cat, field.name)
      // Ids differ between the records of one test, so keys never collide.
      if (typeof v === 'string' && type.kind === 'text' && field.name.endsWith('ID')) v = `${v}-${n}`
    }
    out[field.name] = v
  }
  out.firmROEID = `${DATE}_${event.type}_${n}`
  return out
}

/** The record as a JSON line. */
export function validJson(event: EventSpec, cat: Catalogue, n = 1, set: Values = {}): string {
  return encodeJsonRecord(cat, event, withChanges(validValues(event, cat, n), set))
}

/** The record as a positional CSV line. */
export function validCsv(event: EventSpec, cat: Catalogue, n = 1, set: Values = {}): string {
  return encodeCsvRecord(event, withChanges(validValues(event, cat, n), set))
}

/** Values with some fields changed; `undefined` removes one. */
export function withChanges(values: Values, set: { [field: string]: Value | undefined }): Values {
  const out: Values = { ...values }
  for (const [k, v] of Object.entries(set)) {
    if (v === undefined) delete out[k]
    else out[k] = v
  }
  return out
}

/** The order-event types of a catalogue (everything but the exchange events). */
export function firmEvents(cat: Catalogue): EventSpec[] {
  return [...cat.events.values()].filter((e) => e.family !== 'exchange')
}
