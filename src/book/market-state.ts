/**
 * Whether a best bid and offer are crossed (bid above offer) or locked (bid equal to offer). A protected quote
 * is never to be crossed or locked (Reg NMS Rule 610(d)): in a rebuilt book or NBBO either one is worth a flag.
 */

/** `crossed` (bid > offer), `locked` (bid = offer) or `normal`; a missing side is `normal`. */
export type MarketState = 'normal' | 'locked' | 'crossed'

/** The state of a bid and an offer (prices in 1e-8 dollars). */
export function marketStateOf(bid: bigint | undefined, ask: bigint | undefined): MarketState {
  if (bid === undefined || ask === undefined) return 'normal'
  return bid > ask ? 'crossed' : bid === ask ? 'locked' : 'normal'
}
