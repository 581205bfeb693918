/**
 * Unlinked edges explain themselves: for a route or receiver without its counterpart and for a key
 * reference that found nothing, the CAT code for its reporter, the named code for the counterparty the
 * record names, a reason in words, and the best candidate counterparts ranked by matching key fields.
 * The code tables below are the rules (IM spec §4.3, §5.4).
 */
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'

/** A finding as the passes store it. */
export interface LinkFinding {
  readonly idx: number
  readonly code: number
  readonly recipient: string
  readonly named: boolean
  readonly counterparty: string | null
  readonly explanation: string
  readonly candidates: string | null
}

/** F firm to firm, E firm to exchange, X exchange to firm, Q a quote from firm to firm. */
export type RouteFam = 'F' | 'E' | 'X' | 'Q'

/** A route (S) or receiver (R) left without its counterpart. */
export interface UnpairedEnd {
  readonly idx: number
  readonly side: 'S' | 'R'
  readonly fam: RouteFam
  readonly reporter: string
  readonly type: string
  readonly roeId: string
  /** routedOrderID (routedQuoteID or receivedQuoteID for a quote). */
  readonly routedOrderID: string
  readonly sender: string | null
  readonly receiver: string | null
  readonly symbol: string
  readonly session: string | null
  readonly eventDate: number
}

/** A record on the other side with the same routedOrderID. */
export interface RouteCandidate {
  readonly reporter: string
  readonly roeId: string
  readonly type: string
  readonly eventNs: bigint
  readonly sender: string | null
  readonly receiver: string | null
  readonly symbol: string
  readonly session: string | null
  readonly senderEq: boolean
  readonly receiverEq: boolean
  readonly symbolEq: boolean
  readonly sessionEq: boolean
  readonly paired: boolean
}

type Diff = 'none' | 'sender' | 'receiver' | 'symbol' | 'session' | 'multiple'

// Last digits by what differs: interfirm 80xx/90xx (IM spec Tables 87-88).
const FIRM_TO_FIRM: Record<Diff, number> = {
  none: 3,
  sender: 5,
  receiver: 7,
  symbol: 9,
  session: 11,
  multiple: 11,
}
// Exchange linkage 60xx (firm) / 70xx (exchange, +1): the firm's identifier, symbol, session; a different
// exchange has no code of its own and counts as several fields.
const WITH_EXCHANGE: Record<RouteFam, Record<Diff, number>> = {
  F: FIRM_TO_FIRM,
  Q: FIRM_TO_FIRM,
  E: { none: 3, sender: 5, receiver: 11, symbol: 7, session: 9, multiple: 11 },
  X: { none: 3, sender: 11, receiver: 5, symbol: 7, session: 9, multiple: 11 },
}

/** Who gets which family of codes for an unpaired route end: [own base, named base, named recipient field]. */
function codeBases(end: UnpairedEnd): { own: number; named: number; namedParty: string | null } {
  switch (`${end.fam}${end.side}`) {
    case 'FS':
      return { own: 8000, named: 8001, namedParty: end.receiver }
    case 'FR':
      return { own: 9000, named: 9001, namedParty: end.sender }
    // A quote route is interfirm linkage: the sender's codes are 80xx, the receiver's 90xx.
    case 'QS':
      return { own: 8000, named: 8001, namedParty: end.receiver }
    case 'QR':
      return { own: 9000, named: 9001, namedParty: end.sender }
    // Firm-exchange linkage: the firm's codes are 60xx, the exchange's 70xx (the exchange is the named
    // party in the IM spec's terms), whichever side's record is the unlinked one.
    case 'ES':
      return { own: 6000, named: 7001, namedParty: end.receiver }
    case 'ER':
      return { own: 7001, named: 6000, namedParty: end.sender }
    case 'XS':
      return { own: 7001, named: 6000, namedParty: end.receiver }
    default:
      return { own: 6000, named: 7001, namedParty: end.sender }
  }
}

/** The reporter an IMID names: `CRD:MPID` → MPID; an Exchange ID as it is. */
export function reporterOf(imid: string | null): string | null {
  if (!imid) return null
  const i = imid.indexOf(':')
  return i >= 0 ? imid.slice(i + 1) : imid
}

const FIELD_WORDS: Record<RouteFam, Record<'sender' | 'receiver' | 'symbol' | 'session', string>> = {
  F: { sender: 'senderIMID', receiver: 'destination/receiverIMID', symbol: 'symbol', session: 'session' },
  Q: { sender: 'senderIMID', receiver: 'destination/receiverIMID', symbol: 'symbol', session: 'session' },
  E: {
    sender: 'senderIMID/routingParty',
    receiver: 'destination/exchange',
    symbol: 'symbol',
    session: 'session',
  },
  X: {
    sender: 'exchange/senderIMID',
    receiver: 'routingParty/receiverIMID',
    symbol: 'symbol',
    session: 'session',
  },
}

const COUNTERPART: Record<string, string> = {
  FS: 'accept (MEOA, or MEOM of a modification) from this sender',
  FR: 'route (MEOR) to this receiver',
  ES: 'exchange order (EXOA, or EXOM of a modification)',
  ER: 'route (MEOR) to this exchange',
  XS: 'accept (MEOA) from this exchange',
  XR: 'exchange route (EXOR)',
  QS: 'quote received (MEQR) from this sender',
  QR: 'quote (MENQ) sent to this receiver',
}

/** The field that carries the id both sides of a route share. */
const idWord = (end: UnpairedEnd) =>
  end.fam !== 'Q' ? 'routedOrderID' : end.side === 'S' ? 'routedQuoteID' : 'receivedQuoteID'

function compared(fam: RouteFam): ('sender' | 'receiver' | 'symbol' | 'session')[] {
  return fam === 'E' ? ['sender', 'receiver', 'symbol', 'session'] : ['sender', 'receiver', 'symbol']
}

function isoDate(d: number): string {
  const s = String(d)
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`
}

/**
 * The findings for one unpaired route end, given its candidates (best first). Only candidates not linked
 * elsewhere can be the missing counterpart; the code says which key field differs from the best of
 * them, and the named code goes to that candidate's reporter (or, with none, to the party the record
 * names). An exchange's record whose firm counterpart is itself unlinked is left to the firm's finding,
 * which already reaches both parties.
 */
export function explainUnpaired(end: UnpairedEnd, candidates: readonly RouteCandidate[]): LinkFinding[] {
  const fields = compared(end.fam)
  const open = candidates.filter((c) => !c.paired)
  const exchangeSide = (end.fam === 'E' && end.side === 'R') || (end.fam === 'X' && end.side === 'S')
  if (exchangeSide && open.length > 0) return []
  const best = open[0]
  const differing = best
    ? fields.filter(
        (f) =>
          !{
            sender: best.senderEq,
            receiver: best.receiverEq,
            symbol: best.symbolEq,
            session: best.sessionEq,
          }[f],
      )
    : []
  const diff: Diff = !best ? 'none' : differing.length === 1 ? differing[0] : 'multiple'
  const table = WITH_EXCHANGE[end.fam]
  const bases = codeBases(end)
  const own = bases.own + table[diff]
  const named = bases.named + table[diff]
  const mine = { sender: end.sender, receiver: end.receiver, symbol: end.symbol, session: end.session }
  let explanation: string
  if (!best) {
    explanation = `no ${COUNTERPART[`${end.fam}${end.side}`]} carries ${end.fam !== 'Q' ? 'routedOrderID' : end.side === 'S' ? 'receivedQuoteID' : 'routedQuoteID'} ${end.routedOrderID} on ${isoDate(end.eventDate)}`
    const taken = candidates[0]
    if (taken)
      explanation += ` (${taken.type} ${taken.roeId} of ${taken.reporter} uses it but is linked to another record)`
  } else if (differing.length === 0) {
    explanation = `${idWord(end)} ${end.routedOrderID} and every key field match ${best.type} ${best.roeId} of ${best.reporter}`
  } else {
    const theirs = {
      sender: best.sender,
      receiver: best.receiver,
      symbol: best.symbol,
      session: best.session,
    }
    const words = differing.map(
      (f) => `${FIELD_WORDS[end.fam][f]} (${mine[f] ?? 'blank'} here, ${theirs[f] ?? 'blank'} there)`,
    )
    explanation = `${idWord(end)} ${end.routedOrderID} matches ${best.type} ${best.roeId} of ${best.reporter}, but ${words.join(' and ')} differ${differing.length === 1 ? 's' : ''}`
  }
  const cands =
    candidates.length === 0
      ? null
      : JSON.stringify(
          candidates.map((c) => {
            const eq = {
              sender: c.senderEq,
              receiver: c.receiverEq,
              symbol: c.symbolEq,
              session: c.sessionEq,
            }
            const theirs = { sender: c.sender, receiver: c.receiver, symbol: c.symbol, session: c.session }
            return {
              reporter: c.reporter,
              firmROEID: c.roeId,
              type: c.type,
              eventTimestamp: formatCatTimestamp(c.eventNs, 9),
              matches: [idWord(end), ...fields.filter((f) => eq[f]).map((f) => FIELD_WORDS[end.fam][f])],
              differs: Object.fromEntries(
                fields
                  .filter((f) => !eq[f])
                  .map((f) => [FIELD_WORDS[end.fam][f], { this: mine[f], other: theirs[f] }]),
              ),
              ...(c.paired ? { linkedElsewhere: true } : {}),
            }
          }),
        )
  const namedTo = best ? best.reporter : reporterOf(bases.namedParty)
  const out: LinkFinding[] = [
    {
      idx: end.idx,
      code: own,
      recipient: end.reporter,
      named: false,
      counterparty: namedTo,
      explanation,
      candidates: cands,
    },
  ]
  if (namedTo && namedTo !== end.reporter) {
    out.push({
      idx: end.idx,
      code: named,
      recipient: namedTo,
      named: true,
      counterparty: end.reporter,
      explanation: `${end.reporter} reports ${end.type} ${end.roeId} naming you: ${explanation}`,
      candidates: cands,
    })
  }
  return out
}

/** A key reference that found no event establishing its key. */
export interface UnresolvedRef {
  readonly idx: number
  readonly code: number
  /** own | prior | parent | buyDetails | ... | manualOrderKey */
  readonly field: string
  readonly kind: string
  readonly reporter: string
  readonly type: string
  readonly keyDate: bigint | null
  readonly keyImid: string
  readonly keyId: string
  readonly symbol: string
  readonly dayStartNs: bigint
}

/** An event with the same id that establishes a key of the same kind. */
export interface RefCandidate {
  readonly reporter: string
  readonly roeId: string
  readonly type: string
  readonly eventNs: bigint
  readonly symbol: string
  readonly keyDate: bigint | null
  readonly dateEq: boolean
  readonly symbolEq: boolean
}

const KEY_WORDS: Record<string, string> = {
  O: 'order key',
  X: 'exchange order',
  T: 'trade key',
  F: 'fulfillment key',
  Q: 'quote key',
}

const FIELD_KEY_WORDS: Record<string, string> = {
  prior: 'prior',
  parent: 'parent',
  buyDetails: 'buy side',
  sellDetails: 'sell side',
  clientDetails: 'client side',
  firmDetails: 'firm side',
  aggregatedOrders: 'aggregated client',
  manualOrderKey: 'manual',
  buyOrderID: 'buy side',
  sellOrderID: 'sell side',
}

function keyDateText(kind: string, d: bigint | null): string {
  if (d === null) return 'blank'
  return kind === 'X' ? isoDate(Number(d)) : formatCatTimestamp(d, 9)
}

/** The finding for one unresolved reference. */
export function explainUnresolved(ref: UnresolvedRef, candidates: readonly RefCandidate[]): LinkFinding {
  const what = `${FIELD_KEY_WORDS[ref.field] ? `${FIELD_KEY_WORDS[ref.field]} ` : ''}${KEY_WORDS[ref.kind] ?? 'key'}`
  const key = `${ref.kind === 'X' ? 'event date' : 'key date'} ${keyDateText(ref.kind, ref.keyDate)}, symbol ${ref.symbol}, id ${ref.keyId}`
  const earlier =
    ref.kind !== 'X' && ref.keyDate !== null && ref.keyDate < ref.dayStartNs
      ? ' (looked up on earlier dates too)'
      : ''
  let explanation = `no event of ${ref.keyImid} establishes the ${what} (${key})${earlier}`
  const best = candidates[0]
  if (best) {
    const differs = [
      ...(best.dateEq ? [] : [`key date ${keyDateText(ref.kind, best.keyDate)}`]),
      ...(best.symbolEq ? [] : [`symbol ${best.symbol}`]),
    ]
    explanation += `; ${best.type} ${best.roeId} has id ${ref.keyId} but ${differs.length > 0 ? differs.join(' and ') : 'was rejected'}`
  }
  const cands =
    candidates.length === 0
      ? null
      : JSON.stringify(
          candidates.map((c) => ({
            reporter: c.reporter,
            firmROEID: c.roeId,
            type: c.type,
            eventTimestamp: formatCatTimestamp(c.eventNs, 9),
            matches: ['id', ...(c.dateEq ? ['keyDate'] : []), ...(c.symbolEq ? ['symbol'] : [])],
            differs: {
              ...(c.dateEq
                ? {}
                : {
                    keyDate: {
                      this: keyDateText(ref.kind, ref.keyDate),
                      other: keyDateText(ref.kind, c.keyDate),
                    },
                  }),
              ...(c.symbolEq ? {} : { symbol: { this: ref.symbol, other: c.symbol } }),
            },
          })),
        )
  return {
    idx: ref.idx,
    code: ref.code,
    recipient: ref.reporter,
    named: false,
    counterparty: null,
    explanation,
    candidates: cands,
  }
}
