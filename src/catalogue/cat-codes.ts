/**
 * CAT feedback codes OpenCAT emits: number, severity, stage and a short title in our own words. Numbers and
 * severities are facts of the spec (Appendix E); the conformance test checks them against the official
 * list. Codes marked v4 come from the v4 spec, which is not in that list.
 */

export type Severity = 'Error' | 'Warning'
export type Stage = 'integrity' | 'ingestion' | 'linkage' | 'customer'
export type LinkageType = 'Intrafirm' | 'Interfirm' | 'Exchange' | 'Trade'

/** One CAT code. */
export interface CatCode {
  readonly code: number
  readonly severity: Severity
  readonly stage: Stage
  readonly title: string
  readonly v4?: boolean
  /**
   * A v4 code whose number the spec digest gives only as a range for its family (allocation fields
   * 2170–2182, multi-leg 2200–2225, BFMMFlag 2260–2268, side-detail array limits 2273–2276): OpenCAT places it in
   * that range in field order; the exact number in CAT's own table is unconfirmed.
   */
  readonly inRange?: boolean
  /** A customer-file code of OpenCAT's own (90001–90099): the meanings of real CAIS codes are not public. */
  readonly cais?: boolean
  /** For linkage codes: the linkage type it is counted under in linkage feedback. */
  readonly linkageType?: LinkageType
}

// code · severity (E/W) · title
const INTEGRITY = `
1101 W data file still has no metadata file after 30 minutes
1103 E a file with this base name was accepted before; names are never reused
1104 E submitter id missing or invalid
1105 E reporter IMID missing or not valid on the file generation date
1106 E file generation date missing or invalid
1107 E metadata file is not readable
1108 E file is larger than the size limit
1109 E submitter is not authorised to submit for this reporter
1110 E metadata file lists no file information
1111 E record count missing, negative, or non-zero for a delete
1112 E metadata file format differs from the data file format
1115 E compressed hash missing or does not match the data file
1116 E file version missing or not supported
1120 E file delete names a file that cannot be deleted
1121 E data file got no metadata file within 2 hours
1122 E metadata file lists a data file that was not received before it
1123 E thirdParty invalid
1124 E thirdParty not authorised for this reporter
1126 E doneForDay missing or invalid
1127 E metadata type missing or invalid
1128 E more than 100,000 records in a web upload
`

const INGESTION = `
2001 E accountHolderType missing or invalid
2002 E actionType missing or invalid
2003 E affiliateFlag missing or invalid
2004 E aggregatedOrders invalid
2005 E askPrice missing or invalid
2006 E askQty missing or invalid
2007 E atsDisplayInd missing or invalid
2008 E atsOrderType missing or invalid
2009 E bidPrice missing or invalid
2010 E bidQty missing or invalid
2011 E CATReporterIMID invalid or not the file's reporter
2012 E cancelQty missing or invalid
2013 E cancelFlag missing or invalid
2014 E cancelTimestamp missing or invalid
2015 E capacity missing or invalid
2017 E custDspIntrFlag missing or invalid
2018 E deptType missing or invalid
2019 E destination does not fit destinationType
2020 E destinationType missing or invalid
2021 E displayPrice missing or invalid
2022 E displayQty missing or invalid
2023 E dupROIDCond missing or invalid
2024 E electronicDupFlag missing or invalid
2025 E electronicTimestamp invalid
2026 E errorROEID missing (RPR) or present (NEW)
2027 E eventTimestamp missing, invalid or too coarse
2028 E exchOriginCode does not fit destinationType
2030 E fillKeyDate missing or invalid
2031 E firmDesignatedID missing or invalid
2032 E firmROEID missing or invalid
2033 E firmROEID date differs from the eventTimestamp date
2034 E fulfillmentID missing or invalid
2035 E fulfillmentLinkType missing or invalid
2036 E handlingInstructions invalid
2037 E infoBarrierID invalid
2038 E initiator missing or invalid
2039 E isoInd missing or invalid
2040 E leavesQty missing, invalid or above quantity
2041 E manualFlag missing or invalid
2042 E manualOrderKeyDate missing or invalid
2043 E manualOrderID invalid
2044 E marketCenterID missing or invalid
2045 E minQty invalid, zero or above quantity
2046 E mpStatusCode invalid
2047 E nbboSource missing or invalid
2048 E nbboTimestamp missing or invalid
2049 E nbbPrice missing or invalid
2050 E nbbQty missing or invalid
2051 E nboPrice missing or invalid
2052 E nboQty missing or invalid
2053 E negotiatedTradeFlag missing or invalid
2054 E sideDetailsInd missing or invalid
2055 E nextUnlinked invalid
2056 E onlyOneQuoteFlag missing or invalid
2057 E openCloseIndicator missing or invalid
2058 E optionID missing or invalid
2060 E optionID not effective on the event date
2061 E orderID missing or invalid
2062 E orderType missing or invalid
2063 E orderKeyDate missing or invalid
2064 E originatingIMID invalid
2065 E parentOrderID missing or invalid
2066 E parentOrderKeyDate missing or invalid
2067 E price missing or invalid
2068 E priorFillKeyDate missing or invalid
2070 E priorFulfillmentID missing or invalid
2071 E priorOrderID missing or invalid
2072 E priorOrderKeyDate missing or invalid
2073 E priorQuoteKeyDate missing or invalid
2074 E priorQuoteID missing or invalid
2075 E priorUnlinked invalid
2076 E quantity missing or invalid
2077 E quoteID missing or invalid
2078 E quoteKeyDate missing or invalid
2080 E quoteRejectedFlag missing or invalid
2081 E receivedQuoteID missing or invalid
2082 E receiverIMID missing or invalid
2083 E receivingDeskType missing or invalid
2084 E reportingExceptionCode invalid
2085 E representativeInd missing or invalid
2086 E routedOrderID invalid
2087 E routedQuoteID invalid
2088 E routeRejectedFlag invalid
2089 E senderIMID does not fit senderType
2090 E senderType missing or invalid
2091 E senderIMID missing or invalid
2092 E seqNum missing or invalid
2093 E session missing or invalid
2095 E side missing or invalid
2096 E symbol missing or invalid
2098 E symbol not effective on the event date
2099 E symbol not in the listing market's format
2100 E tapeTradeID invalid
2101 E timeInForce missing or invalid
2102 E tradeID missing or invalid
2103 E tradeKeyDate missing or invalid
2104 E tradingSession missing or invalid
2105 E type missing or invalid
2106 E unsolicitedInd missing or invalid
2107 E workingPrice invalid
2108 E buyDetails missing or not allowed by sideDetailsInd
2109 E buyDetails orderID missing or invalid
2110 E buyDetails orderKeyDate missing or invalid
2111 E buyDetails side missing or invalid
2112 E buyDetails firmDesignatedID missing or invalid
2113 E buyDetails accountHolderType missing or invalid
2114 E buyDetails needs exactly one of orderID and firmDesignatedID
2115 E sellDetails missing or not allowed by sideDetailsInd
2116 E sellDetails orderID missing or invalid
2117 E sellDetails orderKeyDate missing or invalid
2118 E sellDetails side missing or invalid
2119 E sellDetails firmDesignatedID missing or invalid
2120 E sellDetails accountHolderType missing or invalid
2121 E clientDetails orderID missing or invalid
2122 E clientDetails orderKeyDate missing or invalid
2123 E clientDetails side missing or invalid
2124 E clientDetails must not carry firmDesignatedID
2125 E clientDetails must not carry accountHolderType
2126 E firmDetails orderID missing or invalid
2127 E firmDetails orderKeyDate missing or invalid
2128 E firmDetails side missing or invalid
2129 E firmDetails firmDesignatedID missing or invalid
2130 E firmDetails accountHolderType missing or invalid
2132 E record longer than 8,190 bytes
2133 E record has fields this event type does not define
2134 E record is not valid JSON or CSV, or a value has the wrong format
2136 E a value holds a delimiter or a non-printable character
2137 E correction, repair or delete for a record the repository does not have
2139 E eventTimestamp is in the future
2142 E aggregatedOrders does not fit representativeInd
2143 E electronicDupFlag does not fit manualFlag
2144 E electronicTimestamp does not fit manualFlag
2145 E firmDetails does not fit fulfillmentLinkType
2146 E clientDetails missing or invalid
2148 E sellDetails needs exactly one of orderID and firmDesignatedID
2149 E senderIMID belongs to another firm than the reporter
2150 E receiverIMID belongs to another firm than the reporter
2151 E record count in the metadata file differs from the data file
2153 E data file cannot be decompressed
2154 E quoteWantedInd invalid
2156 E reserved field is populated
2157 E buyDetails quantity invalid
2158 E buyDetails originatingIMID invalid
2159 E sellDetails quantity invalid
2160 E sellDetails originatingIMID invalid
2161 E clientDetails quantity invalid
2162 E clientDetails originatingIMID invalid
2163 E firmDetails quantity invalid
2164 E firmDetails originatingIMID invalid
2165 E aggregatedOrders orderID missing or invalid
2166 E aggregatedOrders orderKeyDate missing or invalid
2167 E aggregatedOrders quantity invalid
2168 E aggregatedOrders originatingIMID invalid
2169 E reportingExceptionCode does not fit tapeTradeID and marketCenterID
2999 E more than eight errors in the record
`

const INGESTION_V4 = `
2186 E solicitationFlag missing or invalid
2187 E RFQID invalid
2204 E pairedOrderID invalid
2205 E requestTimestamp invalid
2206 E multiLegInd missing or invalid
2211 E netPrice invalid
2189 E senderIMID equals the destination or receiverIMID: a firm cannot route to itself
2226 E price and netPrice are both populated
2229 E deskOrderID invalid
2270 E firmDesignatedID PENDING on a supplement, which must carry the real FDID
`

const INGESTION_V4_IN_RANGE = `
2170 E allocationKeyDate missing or invalid
2171 E allocationID missing or invalid
2172 E priorAllocationKeyDate missing or invalid, or given without priorAllocationID
2173 E priorAllocationID missing or invalid, or given without priorAllocationKeyDate
2174 E institutionFlag missing or invalid
2175 E tradeDate missing or invalid, or later than the allocation
2176 E settlementDate invalid or earlier than tradeDate
2177 E allocationType missing or invalid
2178 E DVPCustodianID invalid, or missing on a DVP allocation
2179 E correspondentCRD invalid
2180 E newOrderFDID invalid
2181 E allocationInstructionTime invalid
2182 E occClearingMemberID invalid
2200 E legDetails missing or invalid
2201 E numberOfLegs missing, invalid, or not the number of legDetails
2202 E underlying invalid
2203 E priceType invalid
2207 E legDetails legRefID missing, invalid or repeated within the order
2208 E legDetails symbol invalid, or a leg names both or neither of symbol and optionID
2209 E legDetails optionID invalid or not an OSI option symbol
2210 E legDetails side missing or invalid
2212 E legDetails legRatioQuantity missing, invalid or not greater than zero
2213 E legDetails openCloseIndicator invalid, missing on an option leg or given on an equity leg
2230 E priorDeskOrderID invalid, or given without deskOrderID
2260 E BFMMFlag invalid
2273 E buyDetails holds more than one element
2274 E sellDetails holds more than one element
2275 E clientDetails holds more than one element
2276 E firmDetails holds more than one element
`

// code · severity · linkage type · title
const LINKAGE = `
399 W Intrafirm an identical event was received before; the first copy is kept
397 W Intrafirm unlinked intrafirm event reported after the processing window
799 W Exchange unlinked route to an exchange reported after the processing window
798 W Exchange named on an exchange order reported after the processing window
899 W Interfirm unlinked route reported after the processing window
898 W Interfirm named on a route reported after the processing window
895 W Interfirm unlinked accept reported after the processing window
499 W Trade unlinked trade event reported after the processing window
498 W Trade named on a trade report reported after the processing window
894 W Interfirm named on an accept reported after the processing window
897 W Interfirm unlinked route: its accept came after the processing window
896 W Interfirm named on a route whose accept came after the processing window
893 W Interfirm unlinked accept: its route came after the processing window
892 W Interfirm named on an accept whose route came after the processing window
3002 E Intrafirm firmROEID reported twice the same day
3003 E Intrafirm firmROEID reported on an earlier day
3004 E Intrafirm Order Key reported twice the same day
3007 E Intrafirm Order Key reported on an earlier day
3008 E Interfirm Route Linkage Key reported twice the same day
3009 E Interfirm Route Linkage Key reported on an earlier day
3010 E Intrafirm Trade Key reported twice the same day
3011 E Intrafirm Trade Key reported on an earlier day
3012 E Intrafirm Fulfillment Key reported twice the same day
3015 E Intrafirm Fulfillment Key reported on an earlier day
3016 E Intrafirm Quote Key reported twice the same day
3017 E Intrafirm Quote Key reported on an earlier day
3018 E Intrafirm Manual Order Key reported twice the same day
3019 E Intrafirm Manual Order Key reported on an earlier day
3501 E Intrafirm the key a secondary event refers to was not found
3502 E Intrafirm a trade side's order was not found
3503 E Intrafirm a fulfillment side's order was not found
3504 E Intrafirm an aggregated client order was not found
3505 E Intrafirm the manual order of an electronic duplicate was not found
3601 E Intrafirm secondary event is earlier than its primary event beyond clock tolerance
3602 E Intrafirm supplement eventTimestamp differs from its event's
4003 E Trade no trade report with this tapeTradeID
4005 E Trade trade report found but eventTimestamp differs
4007 E Trade trade report found but symbol differs
4009 E Trade trade report found but several fields differ
5004 E Trade named on a trade report: no Trade event carries its tapeTradeID
5006 E Trade named on a trade report: the Trade event's eventTimestamp differs from its execution time
5008 E Trade named on a trade report: the Trade event's symbol differs
5010 E Trade named on a trade report: several fields of the Trade event differ
6003 E Exchange no exchange order with this routedOrderID
6005 E Exchange exchange order found but routingParty differs from senderIMID
6007 E Exchange exchange order found but symbol differs
6009 E Exchange exchange order found but session differs
6011 E Exchange exchange order found but several fields differ
7004 E Exchange named on an exchange order: no route of yours carries its routedOrderID
7006 E Exchange named on an exchange order: the route's senderIMID differs from its routingParty
7008 E Exchange named on an exchange order: the route's symbol differs from its symbol
7010 E Exchange named on an exchange order: the route's session differs from its session
7012 E Exchange named on an exchange order: several fields of the route differ from it
8003 E Interfirm no accept with this routedOrderID
8004 E Interfirm named: a route names you but your accept's routedOrderID was not found
8005 E Interfirm accept found but senderIMID differs
8006 E Interfirm named: your accept's senderIMID differs from the route's
8007 E Interfirm accept found but destination differs from its receiverIMID
8008 E Interfirm named: your accept's receiverIMID differs from the route's destination
8009 E Interfirm accept found but symbol differs
8010 E Interfirm named: your accept's symbol differs from the route's
8011 E Interfirm accept found but several fields differ
8012 E Interfirm named: several fields of your accept differ from the route's
9003 E Interfirm no route with this routedOrderID
9004 E Interfirm named: an accept names you but your route's routedOrderID was not found
9005 E Interfirm route found but senderIMID differs
9006 E Interfirm named: your route's senderIMID differs from the accept's
9007 E Interfirm route found but receiverIMID differs from its destination
9008 E Interfirm named: your route's destination differs from the accept's receiverIMID
9009 E Interfirm route found but symbol differs
9010 E Interfirm named: your route's symbol differs from the accept's
9011 E Interfirm route found but several fields differ
9012 E Interfirm named: several fields of your route differ from the accept's
`

// Customer and account (CAIS) feedback. Real CAIS codes are five-digit numbers in 22xxx–30xxx whose
// meanings are not public (the spec names a few numbers, never what they mean), so OpenCAT uses none of
// them: its own customer-file codes are 90001–90099, a range CAT never uses, marked `cais`. Code names
// them through CUSTOMER_CODE, so each number is written here only.
const CUSTOMER = {
  notJson: [90001, 'customer file is not JSON of the expected shape'],
  unpaired: [
    90002,
    'customer data file and TID file do not pair (one of them is missing or came over 60 minutes apart)',
  ],
  countMismatch: [90003, 'a record count does not equal the length of its list'],
  namesDiffer: [90004, 'catReporterCRD or catSubmitterID differs from the file name'],
  notBzip2: [90005, 'customer file cannot be decompressed (not valid bzip2)'],
  tooLarge: [90006, 'customer file is larger than the size limit'],
  fdidInvalid: [90010, 'firmDesignatedID missing or invalid'],
  fdidTwice: [90011, 'firmDesignatedID appears twice in one file'],
  datesInvalid: [90012, 'fdidDate, fdidEndDate or role dates missing or invalid'],
  holderUnknown: [
    90013,
    'an account names a customerRecordID that is not in the file, or whose record was refused',
  ],
  ltidInvalid: [90014, 'largeTraderID is not NNNNNNNN-NNNN or ULT#####-####'],
  accountTypeInvalid: [90015, 'accountType or fdidType missing or invalid'],
  naturalPersonInvalid: [
    90020,
    'natural person customer missing required fields (customerRecordID, names, year of birth)',
  ],
  legalEntityInvalid: [90021, 'legal entity customer missing required fields, or ein is not NN-NNNNNNN'],
  leiInvalid: [90022, 'lei is not 20 characters of letters and digits'],
  customerTwice: [90023, 'customerRecordID appears twice in one file'],
  tidInvalid: [90030, 'TID missing or not 64 hexadecimal characters, or tidType invalid'],
  tidCustomerUnknown: [90031, 'TID record names a customer that is not in the data file'],
  tidMissing: [90032, 'a customer of the data file has no TID record'],
  tidChanged: [90040, 'the same customerRecordID arrived with another TID than before'],
  fdidUnknownAtT3: [
    90050,
    'an order event names an FDID the reporter has not reported in a customer file by T+3',
  ],
} as const satisfies Record<string, readonly [number, string]>

/** The name of one of OpenCAT's own customer-file codes. */
export type CustomerCodeName = keyof typeof CUSTOMER

/** OpenCAT's own customer-file codes by name (all Errors, stage `customer`). */
export const CUSTOMER_CODE: { readonly [K in CustomerCodeName]: number } = Object.freeze(
  Object.fromEntries(Object.entries(CUSTOMER).map(([name, [code]]) => [name, code])) as {
    [K in CustomerCodeName]: number
  },
)

function parse(table: string, stage: Stage, v4 = false): CatCode[] {
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const m = /^(\d+) ([EW]) (.+)$/.exec(line)
      if (!m) throw new Error(`catalogue: bad code line ${line}`)
      return Object.freeze({
        code: Number(m[1]),
        severity: m[2] === 'E' ? 'Error' : 'Warning',
        stage,
        title: m[3],
        ...(v4 ? { v4 } : {}),
      } as CatCode)
    })
}

function parseLinkage(table: string): CatCode[] {
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const m = /^(\d+) ([EW]) (Intrafirm|Interfirm|Exchange|Trade) (.+)$/.exec(line)
      if (!m) throw new Error(`catalogue: bad code line ${line}`)
      return Object.freeze({
        code: Number(m[1]),
        severity: m[2] === 'E' ? 'Error' : 'Warning',
        stage: 'linkage',
        linkageType: m[3] as LinkageType,
        title: m[4],
      } as CatCode)
    })
}

/** Every CAT code OpenCAT can emit, by number. */
export const CAT_CODES: ReadonlyMap<number, CatCode> = new Map(
  [
    ...parse(INTEGRITY, 'integrity'),
    ...parse(INGESTION, 'ingestion'),
    ...parse(INGESTION_V4, 'ingestion', true),
    ...parse(INGESTION_V4_IN_RANGE, 'ingestion', true).map((c) => Object.freeze({ ...c, inRange: true })),
    ...parseLinkage(LINKAGE),
    ...Object.values(CUSTOMER).map(([code, title]) =>
      Object.freeze<CatCode>({ code, severity: 'Error', stage: 'customer', title, cais: true }),
    ),
  ].map((c) => [c.code, c]),
)

/** The code's entry; throws for a number OpenCAT does not define (a bug at the call site). */
export function catCode(code: number): CatCode {
  const c = CAT_CODES.get(code)
  if (!c) throw new Error(`catalogue: unknown CAT code ${code}`)
  return c
}
