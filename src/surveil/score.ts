/**
 * Scores stored alerts against a simulated day's planted abuse (truth/manipulations.ndjson): an alert
 * matches a planted scenario of the same kind and symbol whose time span it overlaps. Precision is the
 * share of alerts that match one, recall the share of scenarios some alert matches, per detector and
 * over all.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { ALERT_KINDS, type Alert, type AlertKind } from './alert.ts'

/** Precision and recall of one detector (or of all). */
export interface DetectorScore {
  readonly alerts: number
  /** Alerts that match a planted scenario. */
  readonly trueAlerts: number
  readonly planted: number
  /** Planted scenarios some alert matches. */
  readonly found: number
  /** null when there are no alerts. */
  readonly precision: number | null
  /** null when nothing was planted. */
  readonly recall: number | null
}

/** The score of a run: by kind and overall. */
export interface Score {
  readonly byKind: Record<AlertKind, DetectorScore>
  readonly overall: DetectorScore
}

interface Planted {
  kind: string
  symbol: string
  from: bigint
  to: bigint
}

/** Reads `manipulations.ndjson` from a truth folder. */
export function readPlanted(truthDir: string): Planted[] {
  const file = join(truthDir, 'manipulations.ndjson')
  if (!existsSync(file))
    throw new OpenCatError(
      'OCAT_ERR_INPUT_NOT_FOUND',
      `${file}: no planted abuse here (a simulated day's truth/ folder?)`,
    )
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        const m = JSON.parse(l) as { kind: string; symbol: string; from: string; to: string }
        return { kind: m.kind, symbol: m.symbol, from: BigInt(m.from), to: BigInt(m.to) }
      } catch {
        throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${file}:${i + 1}: not a planted scenario`)
      }
    })
}

function matches(a: Alert, p: Planted): boolean {
  return a.kind === p.kind && a.symbol === p.symbol && BigInt(a.from) <= p.to && p.from <= BigInt(a.to)
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 1000) / 1000
}

function scoreOf(alerts: readonly Alert[], planted: readonly Planted[]): DetectorScore {
  const trueAlerts = alerts.filter((a) => planted.some((p) => matches(a, p))).length
  const found = planted.filter((p) => alerts.some((a) => matches(a, p))).length
  return {
    alerts: alerts.length,
    trueAlerts,
    planted: planted.length,
    found,
    precision: ratio(trueAlerts, alerts.length),
    recall: ratio(found, planted.length),
  }
}

/** Scores alerts against planted scenarios. */
export function scoreAlerts(alerts: readonly Alert[], planted: readonly Planted[]): Score {
  const byKind = Object.fromEntries(
    ALERT_KINDS.map((k) => [
      k,
      scoreOf(
        alerts.filter((a) => a.kind === k),
        planted.filter((p) => p.kind === k),
      ),
    ]),
  ) as Record<AlertKind, DetectorScore>
  return { byKind, overall: scoreOf(alerts, planted) }
}
