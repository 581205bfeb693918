/**
 * Market reconstruction: order-level books per venue and symbol from exchange events, "the book at T" from
 * checkpoints, the NBBO over venues, and LOBSTER files in and out.
 * @module
 */
export {
  type AggressorSide,
  type BookEvent,
  type BookEventKind,
  type BookSide,
  compareBookEvents,
  type ExecuteEvent,
  type ExecuteEventInit,
  executeEvent,
  type OrderEvent,
  type OrderEventInit,
  orderEvent,
  type StatusEvent,
  statusEvent,
  type TradingStatus,
} from './book-event.ts'
export {
  type BookEventSource,
  BookReplayer,
  buildCheckpoints,
  type CheckpointOptions,
  rollForward,
} from './book-replayer.ts'
export { BOOK_ANOMALIES, type BookAnomaly, type BookSnapshot, type SnapshotOrders } from './book-snapshot.ts'
export { BOOK_CHECKPOINTS_PART, indexedCheckpoints } from './checkpoints-day-index.ts'
export { type ExchangeConversion, fromExchangeRecord, quoteOrderId } from './from-exchange-record.ts'
export {
  formatLobsterBookRow,
  LOBSTER_EMPTY_ASK,
  LOBSTER_EMPTY_BID,
  type LobsterBookRow,
  type LobsterLevel,
  lobsterRowOf,
  parseLobsterBook,
  parseLobsterBookRow,
} from './lobster-book-row.ts'
export { exportLobster, type LobsterExport, type LobsterExportOptions } from './lobster-export.ts'
export {
  importLobster,
  LOBSTER_ADJUST_TAG,
  LOBSTER_SEED_TAG,
  type LobsterImport,
  type LobsterImportOptions,
} from './lobster-import.ts'
export {
  formatLobsterMessage,
  formatLobsterTime,
  isLobsterProblem,
  type LobsterLineProblem,
  type LobsterMessage,
  type LobsterType,
  parseLobsterMessage,
  parseLobsterMessages,
  parseLobsterTime,
} from './lobster-message.ts'
export {
  type LobsterCorrection,
  type LobsterMismatch,
  type LobsterReplayReport,
  replayLobster,
} from './lobster-replay.ts'
export {
  type Replay,
  type ReplayItem,
  type ReplayNbbo,
  type ReplayPage,
  replayMarket,
  replayPage,
  replayWindow,
} from './market-replay.ts'
export { type MarketState, marketStateOf } from './market-state.ts'
export {
  buildNbbo,
  distanceFromNbbo,
  isMarketable,
  mergeBookEvents,
  type Nbbo,
  NbboBuilder,
  type NbboDistance,
  NbboSeries,
  type PricedOrder,
  type VenueTop,
  type VenueTopChange,
} from './nbbo.ts'
export { nbboAt, orderVersusNbbo } from './nbbo-at.ts'
export {
  ALL_ROWS,
  indexedNbboWindow,
  indexedVenueQuotes,
  NBBO_PART,
  type NbboWindow,
  nbboDayIndexPart,
  VENUE_QUOTES_PART,
  type VenueQuotesWindow,
  type WindowRowsFilter,
} from './nbbo-day-index.ts'
export {
  type ApplyStatus,
  type BookDepth,
  type BookLevel,
  type BookOrder,
  OrderBook,
  type OrderBookOptions,
  type QueuePosition,
} from './order-book.ts'
export { formatPrice, formatQuantity, PRICE_SCALE, parsePrice, parseQuantity } from './price.ts'
export { type BookCheckpoints, checkpointsOf, storedBookAt, storedBooksAt } from './stored-books.ts'
export {
  type RecordKey,
  readBookEvents,
  readDayBookEvents,
  readSymbolBookEvents,
  readVenuesBookEvents,
  type StoredBookEvents,
  venuesOf,
} from './stored-events.ts'
export {
  DEFAULT_SYMBOL_DAY_EVENTS,
  keptSymbolDay,
  type SymbolDay,
  setSymbolDayBudget,
  symbolDay,
} from './symbol-day.ts'
export { type ToExchangeOptions, toExchangeValues } from './to-exchange-values.ts'
