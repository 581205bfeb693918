/**
 * Choice lists (CAT Appendix G values) by list name, for each catalogue version. Values are
 * case-sensitive. v4 adds values on top of v2.2.1; OpenCAT's exchange events add their own lists.
 */

const V221: Record<string, string> = {
  accountHolderType: 'A E F I O V P X',
  actionType: 'NEW COR RPR DEL',
  atsDisplayInd: 'S A Y N',
  capacity: 'A P R',
  deptType: 'A ATS DMA FB SA T O',
  destinationType: 'F E N',
  fulfillmentLinkType: 'Y YF YP YE FOR O',
  initiator: 'C F',
  isoInd: 'ISOD ISOI NA',
  marketCenterID: 'A B C F I J K M N P Q V W X Y Z DN D L DC O',
  mpStatusCode: 'O C',
  nbboSource: 'D S H NA',
  nextUnlinked: 'M P C',
  openCloseIndicator: 'Open Close',
  orderType: 'CAB LMT MKT',
  priorUnlinked: 'M C',
  quoteWantedInd: 'A B',
  receivingDeskType: 'A AR B C CR D EC FB IN IS O PF PR PT S SW T TR',
  reportingExceptionCode: 'C F N P',
  representativeInd: 'Y YS YF YP YE O N',
  senderType: 'F E',
  side: 'B SL SS SX',
  sideDetailsInd: 'BUY SELL NA',
  tradingSession: 'FOR PRE PREREG REG REGPOST POST PREPOST ALL',
  unsolicitedInd: 'U A B N',
}

/** Values v4 adds to a v2.2.1 list, and lists new in v4 (only what the spec digest confirms). */
const V4_ADDITIONS: Record<string, string> = {
  fulfillmentLinkType: 'YS',
  allocationType: 'CUS DVP CUSF DVPF CMTA FLP FRM STO OTH',
}

/**
 * v4.1 lists that replace the v2.2.1 ones (per the v4.1 field tables), and lists new in v4.1. deptType loses
 * FB, representativeInd and fulfillmentLinkType lose the 2.2.1-only YF; side gains S and destinationType and
 * senderType gain values whose meanings are not confirmed.
 */
const V41_REPLACED: Record<string, string> = {
  side: 'B S SL SS SX',
  destinationType: 'F E N O D S',
  senderType: 'F E N O S',
  deptType: 'A ATS DMA SA T O',
  representativeInd: 'Y YS YP YE N O OS OE OML OMS OME',
  fulfillmentLinkType: 'Y YS YP YE FOR O OS OE OML OME',
  marketCenterID:
    'A AMEROP ARCAOP B BF BOX BZXOP C C2 CBOE CHX D DC DN EDGXOP EMLD F G GEMX H I ISE J K L LT M MEMXOP MIAMI MRX N NOBO NOM O P PEARL PHLX Q SPHR TXSE U V W X Y Z',
}
const V41_ADDITIONS: Record<string, string> = {
  priceType: 'PU TC TS',
  quotePriceType: 'PU TC TS',
  representativeQuoteInd: 'A B C N S',
}

/** Lists of OpenCAT's own exchange (participant) event format. */
const EXCHANGE: Record<string, string> = {
  aggressorSide: 'B S NA',
  tradingStatus: 'H Q T',
}

/** Exchange IDs usable as a route destination or an exchange sender (v2.2.1, then v4 additions). */
export const EXCHANGE_IDS_V221 =
  'BOX CBOE C2 BYX BZX BZXOP EDGA EDGX EDGXOP IEX MIAMI PEARL EMLD BX NOBO PSX PHLX NSDQ NOM ISE GEMX MRX AMER AMEROP ARCA ARCAOP NYSE CHX NSX LTSE'
const EXCHANGE_IDS_V4_ADDITIONS = 'BSTX MEMX MEMXOP PEARLEQ SPHR 24X TXSE'
/**
 * The participant that reports trade reports of FINRA's facilities (the TRFs, the ADF and the ORF) as
 * participant events: not an exchange, so never a route destination.
 */
export const FINRA_FACILITIES = 'FINRA'

function build(...layers: Record<string, string>[]): ReadonlyMap<string, ReadonlySet<string>> {
  const lists = new Map<string, Set<string>>()
  for (const layer of layers) {
    for (const [name, values] of Object.entries(layer)) {
      const set = lists.get(name) ?? new Set<string>()
      for (const v of values.split(' ')) set.add(v)
      lists.set(name, set)
    }
  }
  return lists
}

/** Choice lists of the v2.2.1 catalogue (plus OpenCAT's exchange lists). */
export const CHOICES_V221 = build(V221, EXCHANGE, {
  exchangeID: EXCHANGE_IDS_V221,
  participantID: `${EXCHANGE_IDS_V221} ${FINRA_FACILITIES}`,
})
function replaced(base: Record<string, string>, by: Record<string, string>): Record<string, string> {
  return { ...base, ...by }
}

/** Choice lists of the v4 catalogue. */
export const CHOICES_V4 = build(V221, V4_ADDITIONS, EXCHANGE, {
  exchangeID: `${EXCHANGE_IDS_V221} ${EXCHANGE_IDS_V4_ADDITIONS}`,
  participantID: `${EXCHANGE_IDS_V221} ${EXCHANGE_IDS_V4_ADDITIONS} ${FINRA_FACILITIES}`,
})
/** Choice lists of the v4.1 catalogue. */
export const CHOICES_V41 = build(
  replaced({ ...V221, ...V4_ADDITIONS }, V41_REPLACED),
  V41_ADDITIONS,
  EXCHANGE,
  {
    exchangeID: `${EXCHANGE_IDS_V221} ${EXCHANGE_IDS_V4_ADDITIONS}`,
    participantID: `${EXCHANGE_IDS_V221} ${EXCHANGE_IDS_V4_ADDITIONS} ${FINRA_FACILITIES}`,
  },
)
