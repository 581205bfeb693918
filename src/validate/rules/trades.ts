/** Rules on trades and fulfillments: side details, tape identifiers, cancellations. */
import type { Rule } from '../rule.ts'

const side = (col: string, f: string) => `json_extract_string(${col}, '$[0].${f}')`

function detailRules(
  col: 'buyDetails' | 'sellDetails',
  codes: { presence: number; xor: number; aht: number; keyDate: number },
): Rule[] {
  const wanted = col === 'buyDetails' ? "('BUY', 'NA')" : "('SELL', 'NA')"
  return [
    {
      id: `${col}-by-side-details-indicator`,
      code: codes.presence,
      fields: [col, 'sideDetailsInd'],
      message: `${col} is required when sideDetailsInd covers that side, and must be blank otherwise`,
      when: `(sideDetailsInd IN ${wanted} AND ${col} IS NULL) OR (sideDetailsInd NOT IN ${wanted} AND ${col} IS NOT NULL)`,
      example: { type: 'MEOT', set: { sideDetailsInd: col === 'buyDetails' ? 'SELL' : 'BUY' } },
    },
    {
      id: `${col}-order-or-account`,
      code: codes.xor,
      fields: [col],
      events: ['MEOT', 'MOOT'],
      message: `${col} names exactly one of an orderID and a firmDesignatedID`,
      when: `${col} IS NOT NULL AND ((${side(col, 'orderID')} IS NULL) = (${side(col, 'firmDesignatedID')} IS NULL))`,
      example: { type: 'MEOT', set: { [col]: [{ side: col === 'buyDetails' ? 'B' : 'SL' }] } },
    },
    {
      id: `${col}-account-type-with-account`,
      code: codes.aht,
      fields: [col],
      events: ['MEOT', 'MOOT'],
      message: `${col}: accountHolderType is required with a firmDesignatedID`,
      when: `${side(col, 'firmDesignatedID')} IS NOT NULL AND ${side(col, 'accountHolderType')} IS NULL`,
      example: {
        type: 'MEOT',
        set: { [col]: [{ side: col === 'buyDetails' ? 'B' : 'SL', firmDesignatedID: 'PROP1' }] },
      },
    },
    {
      id: `${col}-key-date-with-order`,
      code: codes.keyDate,
      fields: [col],
      events: ['MEOT', 'MOOT'],
      message: `${col}: orderKeyDate is required with an orderID`,
      when: `${side(col, 'orderID')} IS NOT NULL AND ${side(col, 'orderKeyDate')} IS NULL`,
      example: { type: 'MEOT', set: { [col]: [{ side: col === 'buyDetails' ? 'B' : 'SL', orderID: 'O9' }] } },
    },
  ]
}

export const TRADE_RULES: readonly Rule[] = [
  ...detailRules('buyDetails', { presence: 2108, xor: 2114, aht: 2113, keyDate: 2110 }),
  ...detailRules('sellDetails', { presence: 2115, xor: 2148, aht: 2120, keyDate: 2117 }),
  {
    id: 'tape-id-or-exception',
    code: 2169,
    fields: ['tapeTradeID', 'marketCenterID', 'reportingExceptionCode'],
    message: 'a trade carries either tapeTradeID and marketCenterID, or a reportingExceptionCode',
    when: '(tapeTradeID IS NULL) = (reportingExceptionCode IS NULL) OR (marketCenterID IS NULL) = (reportingExceptionCode IS NULL)',
    example: { type: 'MEOT', set: { reportingExceptionCode: 'P' } },
  },
  {
    id: 'cancel-time-with-cancel-flag',
    code: 2014,
    fields: ['cancelFlag', 'cancelTimestamp'],
    message: 'cancelTimestamp is required when cancelFlag is true and must be blank otherwise',
    when: '(cancelFlag AND cancelTimestamp IS NULL) OR (NOT cancelFlag AND cancelTimestamp IS NOT NULL)',
    example: { type: 'MEOT', set: { cancelFlag: true } },
  },
  {
    id: 'client-side-has-no-account',
    code: 2124,
    fields: ['clientDetails', 'fulfillmentLinkType'],
    message: 'clientDetails must not carry a firmDesignatedID',
    when: `${side('clientDetails', 'firmDesignatedID')} IS NOT NULL`,
    example: {
      type: 'MEOF',
      set: {
        clientDetails: [{ orderKeyDate: '20260302T000000', orderID: 'O1', side: 'B', firmDesignatedID: 'X' }],
      },
    },
  },
  {
    id: 'client-side-has-no-account-type',
    code: 2125,
    fields: ['clientDetails', 'fulfillmentLinkType'],
    message: 'clientDetails must not carry an accountHolderType',
    when: `${side('clientDetails', 'accountHolderType')} IS NOT NULL`,
    example: {
      type: 'MEOF',
      set: {
        clientDetails: [
          { orderKeyDate: '20260302T000000', orderID: 'O1', side: 'B', accountHolderType: 'I' },
        ],
      },
    },
  },
  {
    id: 'firm-side-by-link-type',
    code: 2145,
    fields: ['firmDetails', 'fulfillmentLinkType'],
    message: 'firmDetails (the representative order) is required when fulfillmentLinkType is Y, YS or YP',
    when: "fulfillmentLinkType IN ('Y', 'YS', 'YP') AND firmDetails IS NULL",
    example: { type: 'MEOF', set: { firmDetails: undefined } },
  },
]
