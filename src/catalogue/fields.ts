/**
 * The field dictionary: every field name that any event layout uses, with its one data type, its CAT
 * ingestion error code and a line of documentation. Event layouts (events/*.ts) refer to these names.
 *
 * Columns: name · type · code · doc. Types: text:N, alnum:N, choice:<list>, price, realQty, wholeQty,
 * integer, unsigned, boolean, date, timestamp, symbol, messageType, reporterIMID, imid, exchangeID,
 * imidOrExchange, nvp:<pairs>, array, records, reserved. Code 2134 (invalid format) stands where the spec
 * names no field-specific code.
 */
import { parseTypeNotation } from './data-types.ts'
import type { FieldSpec } from './types.ts'

const TABLE = `
actionType               choice:actionType        2002  NEW for a new record, COR for a firm correction, RPR for a repair of a CAT error, DEL to delete a record
errorROEID               unsigned                 2026  Repository-assigned id of a rejected record; required on RPR, blank on NEW
firmROEID                text:64                  2032  The reporter's own record id, <event date>_<id>, unique per reporter and event date
type                     messageType              2105  Event type code (MENO, MEOR, ...)
CATReporterIMID          reporterIMID             2011  IMID of the reporter; if present it must equal the IMID in the file name
orderKeyDate             timestamp                2063  When the orderID was assigned; part of the Order Key
orderID                  text:64                  2061  The reporter's order id, unique within orderKeyDate, reporter and symbol
symbol                   symbol                   2096  Equity symbol in the primary listing market's symbology
parentOrderKeyDate       timestamp                2066  Key date of the parent order (internal routes, child orders)
parentOrderID            text:64                  2065  Order id of the parent order (internal routes, child orders)
originatingIMID          reporterIMID             2064  IMID under which the related earlier event was reported (mergers, several IMIDs)
eventTimestamp           timestamp                2027  When the event happened (ET); electronic events at least to the millisecond, manual ones to the second
side                     choice:side              2095  B buy, SL sell long, SS short sale, SX short sale exempt
price                    price                    2067  Limit price; required for LMT orders, blank for MKT
quantity                 realQty                  2076  Number of shares
minQty                   wholeQty                 2045  Minimum quantity; greater than zero and at most quantity
orderType                choice:orderType         2062  MKT, LMT or CAB
timeInForce              nvp:timeInForce          2101  Exactly one of DAY=<date>, IOC, IOR, GTC, GTT=<timestamp>, GTD=<date>, GTM, GTX
tradingSession           choice:tradingSession    2104  Sessions in which the order may trade
handlingInstructions     nvp:handlingInstructions 2036  Special handling, as names with optional values
seqNum                   alnum:40                 2092  ATS matching-engine sequence number
atsDisplayInd            choice:atsDisplayInd     2007  ATS display: S subscribers, A all, Y displayed via a third party, N not displayed
displayPrice             price                    2021  ATS displayed price
workingPrice             price                    2107  ATS working price
displayQty               wholeQty                 2022  Displayed quantity; on exchange events 0 means hidden
atsOrderType             array                    2008  ATS order type identifiers registered with the repository
nbbPrice                 price                    2049  National best bid the ATS used
nbbQty                   wholeQty                 2050  Size at the national best bid
nboPrice                 price                    2051  National best offer the ATS used
nboQty                   wholeQty                 2052  Size at the national best offer
nbboSource               choice:nbboSource        2047  Source of the NBBO: D direct, S SIP, H hybrid, NA
nbboTimestamp            timestamp                2048  Time of the NBBO used
cancelQty                realQty                  2012  Quantity cancelled (the whole remaining quantity on a full cancel)
leavesQty                realQty                  2040  Quantity still open after the event; at most quantity
reservedForFutureUse     reserved                 2156  Reserved position; must stay blank
priorOrderKeyDate        timestamp                2072  Key date of the order this event replaces (when a new orderID is assigned)
priorOrderID             text:64                  2071  Order id this event replaces (when a new orderID is assigned)
fillKeyDate              timestamp                2030  When the fulfillmentID was assigned
fulfillmentID            text:64                  2034  The reporter's fulfillment id
priorFillKeyDate         timestamp                2068  Key date of the fulfillment being amended
priorFulfillmentID       text:64                  2070  Fulfillment id being amended
manualFlag               boolean                  2041  True when the event was handled manually
electronicTimestamp      timestamp                2025  When a manual event was captured electronically
capacity                 choice:capacity          2015  A agency, P principal, R riskless principal
fulfillmentLinkType      choice:fulfillmentLinkType 2035  How the fill links to a representative order
clientDetails            records                  2146  The client order side of a fulfillment
firmDetails              records                  2134  The firm (representative) side of a fulfillment
deptType                 choice:deptType          2018  Department handling the order
receivingDeskType        choice:receivingDeskType 2083  Kind of desk that received an internal route
infoBarrierID            text:20                  2037  Information barrier the order sits behind (FINRA Rule 5320.02)
electronicDupFlag        boolean                  2024  True when the event duplicates a manual event reported separately
manualOrderKeyDate       timestamp                2042  Key date of the manual order this electronic one duplicates
manualOrderID            text:64                  2043  Order id of the manual order this electronic one duplicates
custDspIntrFlag          boolean                  2017  Customer gave a display instruction
firmDesignatedID         text:40                  2031  Firm Designated ID (FDID) of the trading account; never an account number or PII
accountHolderType        choice:accountHolderType 2001  Kind of account holder
affiliateFlag            boolean                  2003  Counterparty is an affiliate
aggregatedOrders         records                  2004  Client orders a representative order works
negotiatedTradeFlag      boolean                  2053  Order was negotiated
representativeInd        choice:representativeInd 2085  Whether this is a representative order and how it links
quoteKeyDate             timestamp                2078  When the quoteID was assigned
quoteID                  text:64                  2077  The reporter's quote id
priorQuoteKeyDate        timestamp                2073  Key date of the quote this one replaces
priorQuoteID             text:64                  2074  Quote id this one replaces
senderIMID               imidOrExchange           2091  Identifier (CRD:MPID) the sender is known by at the destination; an Exchange ID when an exchange sent
destination              imidOrExchange           2019  Receiver of a route: an IMID (CRD:MPID) or an Exchange ID
routedQuoteID            text:64                  2087  Quote id as sent to the receiver
onlyOneQuoteFlag         boolean                  2056  Quote is one-sided by design
bidPrice                 price                    2009  Bid price
bidQty                   wholeQty                 2010  Bid size
askPrice                 price                    2005  Ask price
askQty                   wholeQty                 2006  Ask size
unsolicitedInd           choice:unsolicitedInd    2106  Whether the quote was unsolicited
mpStatusCode             choice:mpStatusCode      2046  Market participant status: O open, C closed
quoteRejectedFlag        boolean                  2080  The receiver rejected the quote
receiverIMID             imid                     2082  Identifier (CRD:MPID) of the receiving firm, as the sender named it
senderType               choice:senderType        2090  F industry member, E exchange
routedOrderID            text:64                  2086  Order id exchanged between sender and receiver of a route
isoInd                   choice:isoInd            2039  Intermarket sweep: ISOD, ISOI or NA
initiator                choice:initiator         2038  C customer, F firm
cancelFlag               boolean                  2013  The execution was cancelled
cancelTimestamp          timestamp                2014  When the execution was cancelled; required when cancelFlag is true
destinationType          choice:destinationType   2020  F industry member, E exchange, N foreign
session                  text:40                  2093  Exchange session the order was routed to; required for routes to exchanges
routeRejectedFlag        boolean                  2088  The destination rejected the route or did not answer
dupROIDCond              boolean                  2023  A modification routed to an exchange reuses the original routedOrderID
tradeKeyDate             timestamp                2103  When the tradeID was assigned
tradeID                  text:64                  2102  The reporter's trade id
tapeTradeID              text:40                  2100  Id of the trade report at the TRF, ADF or ORF
marketCenterID           choice:marketCenterID    2044  Facility the trade was reported to
sideDetailsInd           choice:sideDetailsInd    2054  Which sides the trade event details: BUY, SELL or NA (both)
buyDetails               records                  2108  The buy side of a trade
sellDetails              records                  2115  The sell side of a trade
reportingExceptionCode   choice:reportingExceptionCode 2084  Why a trade has no tape report
receivedQuoteID          text:64                  2081  Quote id as received from the sender
quoteWantedInd           choice:quoteWantedInd    2154  Quote wanted indicator
optionID                 text:22                  2058  OSI option symbol
openCloseIndicator       choice:openCloseIndicator 2057  Open or Close
priorUnlinked            choice:priorUnlinked     2075  Why the prior event is not linked (options, phase 2b)
nextUnlinked             choice:nextUnlinked      2055  Why the next event is not linked (options, phase 2b)
exchOriginCode           text:4                   2028  Origin code sent to an options exchange
solicitationFlag         boolean                  2186  The order was solicited (v4)
RFQID                    text:64                  2187  Request-for-quote id the order answers (v4)
multiLegInd              boolean                  2206  The order is part of a multi-leg order (v4)
pairedOrderID            text:64                  2204  Id of the order paired with this one (v4)
netPrice                 price                    2211  Net price of a multi-leg order; exclusive with price (v4)
requestTimestamp         timestamp                2205  When a modification or cancel was requested (v4)
deskOrderID              text:64                  2229  Desk order id of a partial internal route (v4)
allocationKeyDate        timestamp                2170  When the allocationID was assigned (v4)
allocationID             text:64                  2171  The reporter's allocation id (v4)
priorAllocationKeyDate   timestamp                2172  Key date of the allocation an amendment replaces (v4)
priorAllocationID        text:64                  2173  Allocation id an amendment replaces (v4)
institutionFlag          boolean                  2174  Allocation to an institutional customer (v4)
tradeDate                date                     2175  Trade date of the allocated execution (v4)
settlementDate           date                     2176  Settlement date (v4)
allocationType           choice:allocationType    2177  Kind of allocation (v4)
DVPCustodianID           text:40                  2178  Custodian of a DVP account (v4)
correspondentCRD         unsigned                 2179  CRD of the correspondent firm (v4)
newOrderFDID             text:40                  2180  FDID on the originating new order, when different (v4)
allocationInstructionTime timestamp               2181  When the allocation instruction was received (v4)
occClearingMemberID      text:40                  2182  OCC clearing member the option allocation clears through (v4.1)
priorDeskOrderID         text:64                  2230  Desk order id an internal route modification replaces (v4)
BFMMFlag                 boolean                  2260  Bona fide market making (v4.1)
underlying               symbol                   2202  Underlying symbol of a multi-leg order (v4)
numberOfLegs             wholeQty                 2201  How many legs a multi-leg order has; equals the number of legDetails (v4)
priceType                choice:priceType         2203  How a multi-leg price is expressed: PU per unit, TC total credit, TS total debit (v4.1)
legDetails               records                  2200  The legs of a multi-leg order (v4)
legRefID                 text:64                  2207  The reporter's id of one leg, unique within its order (v4)
legRatioQuantity         realQty                  2212  Ratio of the leg within the package; greater than zero (v4)
clearingFirm             unsigned                 2134  CRD of the clearing firm (v4.1)
counterparty             text:16                  2134  Counterparty of the trade (v4.1)
triggerPrice             price                    2134  Price at which a conditional order became effective (v4.1)
unpricedInd              boolean                  2134  The quote carries no price (v4.1)
RFQFlag                  boolean                  2134  The quote answers a request for quote (v4.1)
representativeQuoteInd   choice:representativeQuoteInd 2134  Whether the quote represents client orders, and how (v4.1)
askAggregatedOrders      records                  2134  Client orders behind the ask of a quote (v4.1)
bidAggregatedOrders      records                  2134  Client orders behind the bid of a quote (v4.1)
askRelativePrice         nvp:relativePrice        2134  Ask priced relative to a reference, as names with optional values (v4.1)
bidRelativePrice         nvp:relativePrice        2134  Bid priced relative to a reference, as names with optional values (v4.1)
validUntilDuration       realQty                  2134  Seconds the quote stays valid (v4.1)
quotePriceType           choice:quotePriceType    2134  How a multi-leg quote's prices are expressed: PU, TC or TS (v4.1)
priorRoutedOrderID       text:64                  2086  routedOrderID of the route being modified, when the modification gets a new one (OpenCAT)
recordID                 text:64                  2032  An exchange's own record id, unique per exchange and event date (OpenCAT exchange events)
exchange                 choice:participantID     2134  The participant reporting the event: an Exchange ID, or FINRA for trade reports of its TRFs, ADF and ORF (OpenCAT exchange events)
routingParty             imid                     2091  Identifier (CRD:MPID) of the member that entered or receives the order (OpenCAT exchange events)
buyOrderID               text:64                  2061  Exchange order id of the buy side of an execution (OpenCAT exchange events)
sellOrderID              text:64                  2061  Exchange order id of the sell side of an execution (OpenCAT exchange events)
buyLeavesQty             realQty                  2040  Open quantity of the buy order after the execution (OpenCAT exchange events)
sellLeavesQty            realQty                  2040  Open quantity of the sell order after the execution (OpenCAT exchange events)
aggressorSide            choice:aggressorSide     2134  Side that took liquidity: B, S, or NA (OpenCAT exchange events)
hiddenFlag               boolean                  2134  The execution took hidden (non-displayed) liquidity (OpenCAT exchange events)
tradingStatus            choice:tradingStatus     2134  H halted, Q quoting only, T trading (OpenCAT exchange events)
rptngExctgMPID           reporterIMID             2134  MPID of the firm that reported the trade to the facility (OpenCAT trade reports)
rptngCapacity            choice:capacity          2134  Capacity of the reporting side: A, P or R (OpenCAT trade reports)
rptngSideCode            choice:side              2134  Side of the reporting firm: B, SL, SS or SX (OpenCAT trade reports)
contraExctgMPID          reporterIMID             2134  MPID of the contra firm, when the contra side is a member (OpenCAT trade reports)
contraCapacity           choice:capacity          2134  Capacity of the contra side (OpenCAT trade reports)
contraSideCode           choice:side              2134  Side of the contra firm (OpenCAT trade reports)
`

const ELEMENT_CODES: Record<string, Record<string, number>> = {
  aggregatedOrders: { orderID: 2165, orderKeyDate: 2166, quantity: 2167, originatingIMID: 2168 },
  buyDetails: {
    orderID: 2109,
    orderKeyDate: 2110,
    side: 2111,
    firmDesignatedID: 2112,
    accountHolderType: 2113,
    quantity: 2157,
    originatingIMID: 2158,
  },
  sellDetails: {
    orderID: 2116,
    orderKeyDate: 2117,
    side: 2118,
    firmDesignatedID: 2119,
    accountHolderType: 2120,
    quantity: 2159,
    originatingIMID: 2160,
  },
  clientDetails: {
    orderID: 2121,
    orderKeyDate: 2122,
    side: 2123,
    firmDesignatedID: 2124,
    accountHolderType: 2125,
    quantity: 2161,
    originatingIMID: 2162,
  },
  legDetails: {
    legRefID: 2207,
    symbol: 2208,
    optionID: 2209,
    side: 2210,
    legRatioQuantity: 2212,
    openCloseIndicator: 2213,
  },
  firmDetails: {
    orderID: 2126,
    orderKeyDate: 2127,
    side: 2128,
    firmDesignatedID: 2129,
    accountHolderType: 2130,
    quantity: 2163,
    originatingIMID: 2164,
  },
}

function parseTable(table: string): ReadonlyMap<string, FieldSpec> {
  const fields = new Map<string, FieldSpec>()
  for (const line of table.split('\n')) {
    if (line.trim() === '') continue
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(.+)$/.exec(line.trim())
    if (!m) throw new Error(`catalogue: bad field line: ${line}`)
    const [, name, notation, code, doc] = m
    if (fields.has(name)) throw new Error(`catalogue: field ${name} defined twice`)
    const elementCodes = ELEMENT_CODES[name]
    fields.set(
      name,
      Object.freeze({
        name,
        type: parseTypeNotation(notation),
        code: Number(code),
        doc,
        ...(elementCodes ? { elementCodes: Object.freeze(elementCodes) } : {}),
      }),
    )
  }
  return fields
}

/** Every field any event layout may use, by name. */
export const FIELDS: ReadonlyMap<string, FieldSpec> = parseTable(TABLE)

/** The dictionary entry of a field; throws on a name the catalogue does not know (a bug in a layout). */
export function fieldSpec(name: string): FieldSpec {
  const spec = FIELDS.get(name)
  if (!spec) throw new Error(`catalogue: unknown field ${name}`)
  return spec
}
