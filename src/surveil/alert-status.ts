/**
 * Where investigators stand with each alert: its status (open, under review, escalated, closed with a
 * disposition), its assignee, and every change with who, when and why. The history of a date's alerts is
 * one NDJSON file, `store/surveil/status/YYYYMMDD.ndjson`, only ever appended to (under
 * `store/surveil/status/status.lock`, each line written whole and fsync'd); nothing is overwritten, so the
 * current state of an alert is its last line. The file is keyed by alert id, apart from the runs: a rerun that
 * finds the same alert (same id) shows it with its history, and an alert a later run no longer finds keeps
 * its history, listed as withdrawn until a run finds it again. Format: docs/surveillance.md#alert-status.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { listUsers } from '../access/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { withLockSync } from '../store/lock.ts'
import type { RepoPaths } from '../store/paths.ts'
import type { Repository } from '../store/repository.ts'
import { alertRuns, storedAlerts } from './alert-store.ts'
import { extractionAlerts } from './extraction-alert.ts'

/** An alert's status, in the order investigators usually take them. */
export const ALERT_STATUSES = ['open', 'under-review', 'escalated', 'closed'] as const
export type AlertStatus = (typeof ALERT_STATUSES)[number]

/** How a closed alert ended. */
export const ALERT_DISPOSITIONS = ['no-further-action', 'referred', 'false-positive'] as const
export type AlertDisposition = (typeof ALERT_DISPOSITIONS)[number]

/**
 * The statuses each status may move to. A change may also keep the status (a note, another assignee).
 * An open alert may be closed at once (a plain false positive); a closed one can only be reopened.
 */
export const NEXT_STATUSES: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  open: ['under-review', 'escalated', 'closed'],
  'under-review': ['open', 'escalated', 'closed'],
  escalated: ['under-review', 'closed'],
  closed: ['open'],
}

/** Longest note kept, characters. */
export const NOTE_MAX_LENGTH = 4000

/** One change, as a line of the history file. */
export interface AlertStatusChange {
  readonly alert: string
  /** 1 for an alert's first change, then 2, 3, … */
  readonly seq: number
  /** When the change was made (UTC, ISO 8601 with milliseconds). */
  readonly at: string
  /** Who made it: the signed-in account, or the repository owner's name. */
  readonly by: string
  /** The status before the change. */
  readonly from: AlertStatus
  readonly status: AlertStatus
  /** Set when (and only when) the status is closed. */
  readonly disposition: AlertDisposition | null
  readonly assignee: string | null
  /** Why: required on every change. */
  readonly note: string
}

/** Where an alert stands now: its last change, or open and unassigned before any. */
export interface AlertState {
  readonly status: AlertStatus
  readonly disposition: AlertDisposition | null
  readonly assignee: string | null
  readonly changes: number
  /** The last change's instant and author (null before any). */
  readonly updated: { readonly at: string; readonly by: string } | null
}

/** A change asked for: a new status and/or assignee (null unassigns), with the reason. */
export interface AlertStatusRequest {
  readonly status?: AlertStatus
  readonly disposition?: AlertDisposition
  readonly assignee?: string | null
  readonly note: string
}

export const OPEN_STATE: AlertState = {
  status: 'open',
  disposition: null,
  assignee: null,
  changes: 0,
  updated: null,
}

function folder(paths: RepoPaths): string {
  return join(paths.store, 'surveil', 'status')
}

function historyFile(paths: RepoPaths, date: number): string {
  return join(folder(paths), `${date}.ndjson`)
}

/** Every change of a date's alerts, in the order made (a line a killed writer left half-written is skipped). */
export function statusChanges(paths: RepoPaths, date: number): AlertStatusChange[] {
  const file = historyFile(paths, date)
  if (!existsSync(file)) return []
  const text = readFileSync(file, 'utf8')
  // Only whole lines count: a last line without its newline was never acknowledged.
  const whole = text.slice(0, text.lastIndexOf('\n') + 1)
  return whole
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as AlertStatusChange]
      } catch {
        return []
      }
    })
}

/** The state a list of one alert's changes ends in. */
export function stateOf(changes: readonly AlertStatusChange[]): AlertState {
  const last = changes.at(-1)
  if (!last) return OPEN_STATE
  return {
    status: last.status,
    disposition: last.disposition,
    assignee: last.assignee,
    changes: changes.length,
    updated: { at: last.at, by: last.by },
  }
}

/** The state of every alert of the date that has a history, by alert id. */
export function alertStates(paths: RepoPaths, date: number): Map<string, AlertState> {
  const byAlert = new Map<string, AlertStatusChange[]>()
  for (const c of statusChanges(paths, date)) {
    const list = byAlert.get(c.alert) ?? []
    list.push(c)
    byAlert.set(c.alert, list)
  }
  return new Map([...byAlert].map(([id, list]) => [id, stateOf(list)]))
}

/** One alert's history, oldest first. */
export function alertHistory(paths: RepoPaths, date: number, alert: string): AlertStatusChange[] {
  return statusChanges(paths, date).filter((c) => c.alert === alert)
}

/** Where an alert is found: the date's latest surveillance run, only an earlier one, or the extraction alerts. */
export type AlertPlace = 'latest-run' | 'earlier-run' | 'extraction'

/** Where the date's alert `id` is stored; a clear not-found error when nowhere. */
export async function placeOfAlert(repo: Repository, date: number, id: string): Promise<AlertPlace> {
  if (extractionAlerts(repo.paths, date).some((a) => a.id === id)) return 'extraction'
  const runs = alertRuns(repo, date)
  for (const [i, run] of [...runs].reverse().entries())
    if ((await storedAlerts(repo, date, run.run)).some((a) => a.id === id))
      return i === 0 ? 'latest-run' : 'earlier-run'
  throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no alert ${id} of ${date} in any surveillance run`, {
    alert: id,
  })
}

function refuse(message: string): never {
  throw new OpenCatError('OCAT_ERR_ALERT_WORKFLOW', message)
}

/** The assignee must be an account that may work alerts: a regulator, not disabled. */
function checkAssignee(paths: RepoPaths, user: string): void {
  const account = listUsers(paths).find((u) => u.user === user)
  if (!account) refuse(`no account ${user} to assign the alert to`)
  if (account.disabled) refuse(`${user} is disabled`)
  if (!account.roles.includes('regulator')) refuse(`${user} is not a regulator: only regulators work alerts`)
}

/** The change a request makes from a state, checked against the workflow; throws what is wrong. */
export function nextChange(
  state: AlertState,
  request: AlertStatusRequest,
): Omit<AlertStatusChange, 'alert' | 'seq' | 'at' | 'by'> {
  const note = request.note.trim()
  if (note === '') refuse('every change needs a note saying why')
  if (note.length > NOTE_MAX_LENGTH) refuse(`a note holds at most ${NOTE_MAX_LENGTH} characters`)
  const status = request.status ?? state.status
  if (!ALERT_STATUSES.includes(status)) refuse(`unknown status ${status} (${ALERT_STATUSES.join(', ')})`)
  if (status !== state.status && !NEXT_STATUSES[state.status].includes(status))
    refuse(
      `a ${state.status} alert cannot become ${status}; it may become ${NEXT_STATUSES[state.status].join(', ')}`,
    )
  let disposition: AlertDisposition | null = null
  if (status === 'closed') {
    disposition = request.disposition ?? (state.status === 'closed' ? state.disposition : null)
    if (disposition === null)
      refuse(`closing an alert needs a disposition (${ALERT_DISPOSITIONS.join(', ')})`)
    if (!ALERT_DISPOSITIONS.includes(disposition))
      refuse(`unknown disposition ${disposition} (${ALERT_DISPOSITIONS.join(', ')})`)
  } else if (request.disposition !== undefined) refuse('only a closed alert has a disposition')
  const assignee = request.assignee === undefined ? state.assignee : request.assignee
  return { from: state.status, status, disposition, assignee, note }
}

/** Appends one line, whole and flushed; a torn last line a killed writer left is cut off first. */
function appendDurably(file: string, line: string): void {
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w+', 0o600)
  try {
    const text = readFileSync(fd, 'utf8')
    const end = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1))
    if (end !== Buffer.byteLength(text)) ftruncateSync(fd, end)
    writeSync(fd, line, end)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Records a change of an alert's status or assignee by `by`, checked against the alert's current state
 * under the lock (two investigators changing one alert at once are applied one after the other, each
 * checked against the other's result). The alert must be stored for the date; returns the change.
 */
export async function changeAlertStatus(
  repo: Repository,
  date: number,
  alert: string,
  by: string,
  request: AlertStatusRequest,
  now = new Date(),
): Promise<AlertStatusChange> {
  await placeOfAlert(repo, date, alert)
  if (request.assignee) checkAssignee(repo.paths, request.assignee)
  const dir = folder(repo.paths)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return withLockSync(join(dir, 'status.lock'), 30_000, () => {
    const history = alertHistory(repo.paths, date, alert)
    const change: AlertStatusChange = {
      alert,
      seq: history.length + 1,
      at: now.toISOString(),
      by,
      ...nextChange(stateOf(history), request),
    }
    appendDurably(historyFile(repo.paths, date), `${JSON.stringify(change)}\n`)
    return change
  })
}

/** An alert's status and history, as `opencat surveil status` and GET /api/alerts/status give them. */
export interface AlertStatusReport {
  readonly date: number
  readonly alert: string
  readonly place: AlertPlace
  readonly state: AlertState
  /** The statuses the alert may move to now (besides keeping its own). */
  readonly next: readonly AlertStatus[]
  /** The dispositions a close takes. */
  readonly dispositions: readonly AlertDisposition[]
  readonly history: AlertStatusChange[]
}

/** The report of the date's alert `id` (not found when no run nor the extraction alerts hold it). */
export async function alertStatusReport(
  repo: Repository,
  date: number,
  id: string,
): Promise<AlertStatusReport> {
  const place = await placeOfAlert(repo, date, id)
  const history = alertHistory(repo.paths, date, id)
  const state = stateOf(history)
  return {
    date,
    alert: id,
    place,
    state,
    next: NEXT_STATUSES[state.status],
    dispositions: ALERT_DISPOSITIONS,
    history,
  }
}

/** The states of a listing's alerts (every one, open when it has no history) and of those it no longer holds. */
export interface QueueStates {
  readonly statuses: Record<string, AlertState>
  /** Alerts of the date with a history that the listing does not hold (a later run no longer found them). */
  readonly withdrawn: { readonly id: string; readonly state: AlertState }[]
}

/** The states of the alerts listed for a date, and of the alerts with a history it does not list. */
export function queueStates(paths: RepoPaths, date: number, listed: readonly string[]): QueueStates {
  const states = alertStates(paths, date)
  const shown = new Set(listed)
  return {
    statuses: Object.fromEntries(listed.map((id) => [id, states.get(id) ?? OPEN_STATE])),
    withdrawn: [...states]
      .filter(([id]) => !shown.has(id))
      .map(([id, state]) => ({ id, state }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  }
}
