/**
 * The v4 changes to the core equity events that the spec digest confirms (from production code or with
 * explicit positions), plus the v4 event types OpenCAT needs: MEPA (allocation) and the route modify /
 * cancel events MEMR / MECR. Positions are absolute CSV positions.
 */
import type { EventDraft, LayoutChange } from './draft.ts'

const PERL = 'v4 layout from production CAT generators'
const CATVIEW = 'v4.1 layout per a third-party viewer generated from the spec; agrees with production code'

export const EQUITY_V4_CHANGES: readonly LayoutChange[] = [
  { type: 'MENO', set: { 16: 'solicitationFlag:R', 17: 'RFQID:C' }, append: 'netPrice:C', source: PERL },
  {
    type: 'MEOR',
    set: { 29: 'routeRejectedFlag:R' },
    append: 'multiLegInd:R pairedOrderID:O infoBarrierID:C netPrice:C quoteKeyDate:C quoteID:C',
    source: PERL,
  },
  { type: 'MEOA', append: 'solicitationFlag:R pairedOrderID:O netPrice:C', source: CATVIEW },
  { type: 'MEIR', append: 'multiLegInd:R netPrice:C deskOrderID:C', source: CATVIEW },
  { type: 'MEOM', set: { 22: 'requestTimestamp:C' }, append: 'netPrice:C', source: CATVIEW },
  { type: 'MEOC', append: 'requestTimestamp:C infoBarrierID:C', source: PERL },
  { type: 'MEOJ', append: 'timeInForce:R netPrice:C', source: CATVIEW },
  { type: 'MEOF', append: 'infoBarrierID:C', source: CATVIEW },
]

const ROUTE_FIELDS = `originatingIMID:C eventTimestamp:R manualFlag:R electronicDupFlag:R electronicTimestamp:C
  senderIMID:C/imid destination:C destinationType:R routedOrderID:C session:C`

export const EQUITY_V4_EVENTS: readonly EventDraft[] = [
  {
    type: 'MEMR',
    title: 'Order Route Modified',
    key: 'order',
    eventClass: 'secondary',
    doc: 'The sender modifies an order it routed earlier; restates the route as modified.',
    layout: `orderKeyDate:R orderID:R symbol:R ${ROUTE_FIELDS} priorRoutedOrderID:C side:R price:C quantity:R
      minQty:C orderType:R timeInForce:R tradingSession:R isoInd:R handlingInstructions:C routeRejectedFlag:R
      dupROIDCond:R requestTimestamp:C seqNum:A`,
    source: 'OpenCAT layout modelled on MEOR (the v4 field table is not public)',
  },
  {
    type: 'MECR',
    title: 'Order Route Cancelled',
    key: 'order',
    eventClass: 'secondary',
    doc: 'The sender cancels an order it routed earlier; carries the routedOrderID of the route.',
    layout: `orderKeyDate:R orderID:R symbol:R ${ROUTE_FIELDS} cancelQty:R leavesQty:R requestTimestamp:C seqNum:A`,
    source: 'OpenCAT layout modelled on MEOR (the v4 field table is not public)',
  },
  {
    type: 'MEPA',
    title: 'Post-Trade Allocation',
    key: 'allocation',
    eventClass: 'primary',
    doc: 'Shares booked to a customer account after the trade.',
    layout: `allocationKeyDate:R allocationID:R symbol:R eventTimestamp:R cancelFlag:R cancelTimestamp:C quantity:R
      price:R side:R firmDesignatedID:R - institutionFlag:R tradeDate:R settlementDate:C allocationType:R
      DVPCustodianID:C correspondentCRD:C newOrderFDID:C allocationInstructionTime:O - accountHolderType:R`,
    source: CATVIEW,
  },
]
