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
  /** Received after its deadline. */
  readonly late: boolean
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
  /** Received after its deadline. */
  readonly late: boolean
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
// Exchange linkage 60xx (the unlinked record's reporter) / named 70xx: the firm's identifier, symbol,
// session; a different exchange has no code of its own and counts as several fields.
const WITH_EXCHANGE: Record<RouteFam, Record<Diff, number>> = {
  F: FIRM_TO_FIRM,
  Q: FIRM_TO_FIRM,
  E: { none: 3, sender: 5, receiver: 11, symbol: 7, session: 9, multiple: 11 },
  X: { none: 3, sender: 11, receiver: 5, symbol: 7, session: 9, multiple: 11 },
}

/**
 * Who gets which family of codes for an unpaired route end: the own code's base, and the named code's
 * base with the party the record names (IM spec §5.4: a named code goes to the member named on the
 * unlinked record). Interfirm: the sender's route 80xx naming its destination, the receiver's record 90xx
 * naming its sender. Exchange linkage: every unlinked record's reporter gets 60xx; the 70xx codes are
 * "named on an exchange order", so they go to the member an exchange's order or route names as its
 * routingParty. A firm's record names an exchange, which is no member: it gets no named code.
 */
function codeBases(end: UnpairedEnd): { own: number; named: number | null; namedParty: string | null } {
  switch (`${end.fam}${end.side}`) {
    case 'FS':
    case 'QS':
      return { own: 8000, named: 8001, namedParty: end.receiver }
    case 'FR':
    case 'QR':
      return { own: 9000, named: 9001, namedParty: end.sender }
    // The exchange's order (EXOA, EXOM) names its routingParty as sender.
    case 'ER':
      return { own: 6000, named: 7001, namedParty: end.sender }
    // The exchange's route out (EXOR) names its routingParty as receiver.
    case 'XS':
      return { own: 6000, named: 7001, namedParty: end.receiver }
    default:
      return { own: 6000, named: null, namedParty: null }
  }
}

/**
 * Late and early warnings (IM spec §5.4) replace the codes of an unpaired order route end: a record
 * received after its deadline missed the linkage window (late: 899/898 a route, 895/894 an accept,
 * 799/798 with an exchange); an on-time route or accept whose best counterpart came late could not be
 * matched in time (early: 897/896, 893/892). None is repairable, so they are warnings.
 */
const LATE: Record<string, { own: number; named: number | null }> = {
  FS: { own: 899, named: 898 },
  FR: { own: 895, named: 894 },
  ES: { own: 799, named: null },
  ER: { own: 799, named: 798 },
  XS: { own: 799, named: 798 },
  XR: { own: 799, named: null },
}
const EARLY: Record<string, { own: number; named: number }> = {
  FS: { own: 897, named: 896 },
  FR: { own: 893, named: 892 },
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
 * them, and the named code goes to the party the record names.
 */
export function explainUnpaired(end: UnpairedEnd, candidates: readonly RouteCandidate[]): LinkFinding[] {
  const fields = compared(end.fam)
  const open = candidates.filter((c) => !c.paired)
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
  const side = `${end.fam}${end.side}`
  const warning = end.late ? LATE[side] : best?.late ? EARLY[side] : undefined
  const own = warning?.own ?? bases.own + table[diff]
  const namedCode = warning ? warning.named : bases.named === null ? null : bases.named + table[diff]
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
  if (warning)
    explanation += end.late
      ? '; this record came after its T+1 08:00 deadline, past the linkage window (a warning, not repairable)'
      : `; ${best!.type} ${best!.roeId} came after its T+1 08:00 deadline, so this record could not be matched in time (a warning, not repairable)`
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
  const namedTo = namedCode === null ? null : reporterOf(bases.namedParty)
  const out: LinkFinding[] = [
    {
      idx: end.idx,
      code: own,
      recipient: end.reporter,
      named: false,
      // The other party: the best candidate's reporter, or the one the record names (an exchange too).
      counterparty: best ? best.reporter : reporterOf(end.side === 'S' ? end.receiver : end.sender),
      explanation,
      candidates: cands,
    },
  ]
  if (namedCode !== null && namedTo && namedTo !== end.reporter) {
    out.push({
      idx: end.idx,
      code: namedCode,
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
  /** The referring event was received after its deadline. */
  readonly late: boolean
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
  R: 'route (routedOrderID under the order key date)',
  RC: 'route cancellation (routedOrderID under the order key date)',
}

const FIELD_KEY_WORDS: Record<string, string> = {
  prior: 'prior',
  priorRoute: 'prior',
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
  // A late event left unmatched missed the linkage window: 397, a warning (IM spec §5.4).
  if (ref.late)
    explanation +=
      '; this event came after its T+1 08:00 deadline, past the linkage window (a warning, not repairable)'
  return {
    idx: ref.idx,
    code: ref.late ? 397 : ref.code,
    recipient: ref.reporter,
    named: false,
    counterparty: null,
    explanation,
    candidates: cands,
  }
}
