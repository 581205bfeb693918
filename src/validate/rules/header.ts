/** Rules on the record header: errorROEID, reporter, firmROEID, time, and corrections (COR/RPR/DEL). */
import type { Rule } from '../rule.ts'

const NEW_COR = ['NEW', 'COR'] as const

export const HEADER_RULES: readonly Rule[] = [
  {
    id: 'errorROEID-blank-unless-repair',
    code: 2026,
    fields: ['errorROEID'],
    actions: NEW_COR,
    message: 'errorROEID must be blank unless the record is a repair (RPR)',
    when: 'errorROEID IS NOT NULL',
    example: { type: 'MEOC', set: { errorROEID: 123 } },
  },
  {
    id: 'errorROEID-required-on-repair',
    code: 2026,
    fields: ['errorROEID'],
    actions: ['RPR'],
    message: 'a repair (RPR) must name the errorROEID of the rejected record',
    when: 'errorROEID IS NULL',
    example: { type: 'MEOC', set: { actionType: 'RPR' } },
  },
  {
    id: 'reporter-is-the-file-reporter',
    code: 2011,
    fields: ['CATReporterIMID'],
    message: "CATReporterIMID, when present, must be the reporter in the file's name",
    when: 'CATReporterIMID IS NOT NULL AND CATReporterIMID <> _reporter',
    example: { type: 'MEOC', set: { CATReporterIMID: 'ZZZZ' } },
  },
  {
    id: 'firmROEID-form',
    code: 2032,
    fields: ['firmROEID'],
    message: 'firmROEID must be <event date YYYYMMDD>_<id>',
    when: "NOT regexp_full_match(firmROEID, '[0-9]{8}_.+')",
    example: { type: 'MEOC', set: { firmROEID: 'ROE1' } },
  },
  {
    id: 'firmROEID-date-is-event-date',
    code: 2033,
    fields: ['firmROEID', 'eventTimestamp'],
    message: 'the date in firmROEID must be the date of eventTimestamp',
    when: "regexp_full_match(firmROEID, '[0-9]{8}_.+') AND TRY_CAST(left(firmROEID, 8) AS INTEGER) IS DISTINCT FROM event_date",
    example: { type: 'MEOC', set: { firmROEID: '20200101_X1' } },
  },
  {
    id: 'event-not-in-future',
    code: 2139,
    fields: ['eventTimestamp'],
    message: 'eventTimestamp is later than the time the repository received the record',
    when: '_event_ns > _now_ns',
    example: { type: 'MEOC', set: { eventTimestamp: '21990101T093000.000', firmROEID: '21990101_C1' } },
  },
  {
    id: 'correction-names-a-known-record',
    code: 2137,
    fields: [],
    actions: ['COR'],
    message: 'a correction (COR) must carry the firmROEID of a record the repository holds for this reporter',
    when: `NOT EXISTS (SELECT 1 FROM events e WHERE e._reporter = r._reporter AND e.event_date = r.event_date AND e._roe_id = r._roe_id)`,
    example: { type: 'MEOC', set: { actionType: 'COR' } },
  },
  {
    id: 'repair-names-a-rejected-record',
    code: 2137,
    fields: ['errorROEID'],
    actions: ['RPR'],
    message:
      'a repair (RPR) must carry the errorROEID of a record of this reporter that was rejected, failed linkage or named an unknown FDID',
    // Linkage and FDID feedback name the event by its event id as errorROEID (IM spec §7.5.1).
    when: `errorROEID IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM rejects j WHERE j.errorROEID = r.errorROEID AND j._reporter = r._reporter)
      AND NOT EXISTS (SELECT 1 FROM linkage_findings k WHERE k._event_id = r.errorROEID AND k.recipient = r._reporter AND NOT k.named)
      AND NOT EXISTS (SELECT 1 FROM fdid_findings d WHERE d._event_id = r.errorROEID AND d.reporter = r._reporter)`,
    example: { type: 'MEOC', set: { actionType: 'RPR', errorROEID: 999 } },
  },
  {
    id: 'delete-names-a-known-record',
    code: 2137,
    fields: [],
    actions: ['DEL'],
    message:
      'a delete (DEL) must name a record of this reporter by firmROEID, or by the errorROEID of a record that was rejected, failed linkage or named an unknown FDID',
    when: `(r._roe_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e._reporter = r._reporter AND e.event_date = r.event_date AND e._roe_id = r._roe_id))
      OR (r._repairs IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM rejects j WHERE j.errorROEID = r._repairs AND j._reporter = r._reporter)
        AND NOT EXISTS (SELECT 1 FROM linkage_findings k WHERE k._event_id = r._repairs AND k.recipient = r._reporter AND NOT k.named)
        AND NOT EXISTS (SELECT 1 FROM fdid_findings d WHERE d._event_id = r._repairs AND d.reporter = r._reporter))`,
    example: { type: 'DEL', set: { actionType: 'DEL', firmROEID: '20260302_NOSUCH' } },
  },
]
