/**
 * The surveillance stage: detectors of market abuse over a linked date (spoofing and layering, wash
 * trades, marking the close, front-running, trading ahead of news), their alerts stored in versions, and
 * scoring against a simulated day's planted abuse; and extraction alerts, on regulators' queries and extracts
 * far above their own norm (from the access log).
 */
export { ALERT_KINDS, type Alert, type AlertKind } from './alert.ts'
export {
  ALERT_DISPOSITIONS,
  ALERT_STATUSES,
  type AlertDisposition,
  type AlertPlace,
  type AlertState,
  type AlertStatus,
  type AlertStatusChange,
  type AlertStatusReport,
  type AlertStatusRequest,
  alertHistory,
  alertStates,
  alertStatusReport,
  changeAlertStatus,
  NEXT_STATUSES,
  NOTE_MAX_LENGTH,
  OPEN_STATE,
  placeOfAlert,
  type QueueStates,
  queueStates,
  stateOf,
} from './alert-status.ts'
export { type AlertRun, type AlertRunInputs, alertRuns, storeAlerts, storedAlerts } from './alert-store.ts'
export {
  DETECTOR_PARAMETERS,
  type DetectorConfig,
  loadDetectorConfig,
  resolveDetectorConfig,
} from './detector-config.ts'
export {
  checkExtraction,
  EXTRACTION_POLICY,
  type ExtractionAlert,
  type ExtractionRequest,
  extractionAlerts,
  judgeExtraction,
} from './extraction-alert.ts'
export { type NewsItem, readNewsFile } from './news-file.ts'
export { type DetectorScore, readPlanted, type Score, scoreAlerts } from './score.ts'
export { type SurveilDateRun, surveilAndStore, unsurveilledDates } from './surveil-and-store.ts'
export { type SurveilResult, surveilDate } from './surveil-date.ts'
