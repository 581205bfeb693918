import { describe, expect, it } from 'vitest'
import {
  ALERT_STATUSES,
  type AlertState,
  type AlertStatus,
  NEXT_STATUSES,
  nextChange,
  OPEN_STATE,
  stateOf,
} from './alert-status.ts'

const at = (status: AlertStatus, extra: Partial<AlertState> = {}): AlertState => ({
  ...OPEN_STATE,
  status,
  ...extra,
})

describe('the alert workflow', () => {
  it('allows exactly the steps of NEXT_STATUSES, and keeping the status', () => {
    for (const from of ALERT_STATUSES)
      for (const to of ALERT_STATUSES) {
        const request = {
          status: to,
          note: 'why',
          ...(to === 'closed' ? { disposition: 'referred' as const } : {}),
        }
        const state = at(from, from === 'closed' ? { disposition: 'referred' } : {})
        const allowed = from === to || NEXT_STATUSES[from].includes(to)
        if (allowed) expect(nextChange(state, request)).toMatchObject({ from, status: to })
        else expect(() => nextChange(state, request), `${from} → ${to}`).toThrow(/cannot become/)
      }
  })

  it('needs a note, a disposition to close and none otherwise, and keeps what a change leaves out', () => {
    expect(() => nextChange(OPEN_STATE, { status: 'under-review', note: '  ' })).toThrow(/note/)
    expect(() => nextChange(OPEN_STATE, { status: 'closed', note: 'done' })).toThrow(/disposition/)
    expect(() => nextChange(OPEN_STATE, { status: 'escalated', disposition: 'referred', note: 'x' })).toThrow(
      /only a closed alert/,
    )
    const closed = at('closed', { disposition: 'false-positive', assignee: 'ana' })
    expect(nextChange(closed, { note: 'a remark' })).toEqual({
      from: 'closed',
      status: 'closed',
      disposition: 'false-positive',
      assignee: 'ana',
      note: 'a remark',
    })
    expect(nextChange(closed, { status: 'open', assignee: null, note: 'reopened' })).toMatchObject({
      status: 'open',
      disposition: null,
      assignee: null,
    })
  })

  it('takes the state of the last change', () => {
    expect(stateOf([])).toEqual(OPEN_STATE)
    const change = {
      alert: 'A1',
      seq: 1,
      at: '2026-03-02T21:00:00.000Z',
      by: 'ana',
      from: 'open' as const,
      status: 'escalated' as const,
      disposition: null,
      assignee: 'bo',
      note: 'x',
    }
    expect(stateOf([change])).toEqual({
      status: 'escalated',
      disposition: null,
      assignee: 'bo',
      changes: 1,
      updated: { at: change.at, by: 'ana' },
    })
  })
})
