/**
 * Runs every enabled detector over one linked event date, in the engine: the day's lifecycles, orders and
 * executions become temporary tables (sql/orders.sql), each detector adds its alerts with one INSERT, and
 * only the alerts come back to JavaScript.
 */
import { createHash } from 'node:crypto'
import { OpenCatError } from '../common/errors.ts'
import { etWallNs } from '../common/time/eastern.ts'
import type { Repository } from '../store/repository.ts'
import type { Alert, AlertKind } from './alert.ts'
import type { DetectorConfig } from './detector-config.ts'
import type { NewsItem } from './news-file.ts'
import { surveilSql } from './surveil-sql.ts'

const SECOND = 1_000_000_000
const MINUTE = 60 * SECOND

/** What a run found, and how long each part took. */
export interface SurveilResult {
  readonly alerts: Alert[]
  /** Events of the date the detectors read. */
  readonly events: number
  readonly timings: Record<string, number>
}

async function runAll(repo: Repository, statements: string[]): Promise<void> {
  for (const s of statements) await repo.db.run(s)
}

/** The instant of the regular close on a date (16:00 ET, or the calendar's early close). */
export function closeNs(repo: Repository, date: number): bigint {
  const early = repo.calendar.earlyCloses.get(date)
  const [h, m] = (early ?? '16:00').split(':').map(Number)
  return etWallNs(Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100, h * 3600 + m * 60, 0)
}

/** Runs the detectors over a linked date. */
export async function surveilDate(
  repo: Repository,
  date: number,
  config: DetectorConfig,
  news: readonly NewsItem[] = [],
): Promise<SurveilResult> {
  await repo.ensureViews()
  const linked = await repo.db.one<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM linkage_runs WHERE event_date = $1 AND current',
    [date],
  )
  if (!linked || linked.n === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `event date ${date} has not been linked yet: surveillance reads linked lifecycles (run opencat link --date first)`,
    )
  const timings: Record<string, number> = {}
  const timed = async (name: string, fn: () => Promise<void>) => {
    const t = performance.now()
    await fn()
    timings[name] = Math.round(performance.now() - t)
  }
  await timed('orders', () => runAll(repo, surveilSql('orders', { DATE: date })))
  await runAll(repo, surveilSql('alerts'))
  const w = config.wash
  if (w.enabled)
    await timed('wash', () =>
      runAll(
        repo,
        surveilSql('wash', {
          WINDOW_NS: Math.round(w.windowSeconds * SECOND),
          MIN_EXECUTIONS: Math.max(1, Math.round(w.minExecutions)),
          MAX_ENTRY_GAP_NS: Math.round(w.maxEntryGapSeconds * SECOND),
          FIRM_ACCOUNTS: w.firmAccounts,
          SCORE_SHARES: 10_000,
        }),
      ),
    )
  const s = config.spoofing
  if (s.enabled)
    await timed('spoofing', () =>
      runAll(
        repo,
        surveilSql('spoofing', {
          MIN_ORDER_SHARES: s.minOrderShares,
          MAX_LIFETIME_NS: Math.round(s.maxLifetimeSeconds * SECOND),
          MAX_FILLED: s.maxFilledFraction,
          WINDOW_NS: Math.round(s.groupSeconds * SECOND),
          MIN_RATIO: Math.max(s.minRatio, 0.000001),
          LAYERS: Math.max(2, Math.round(s.layeringLevels)),
        }),
      ),
    )
  const c = config.markingClose
  if (c.enabled)
    await timed('marking-close', () =>
      runAll(
        repo,
        surveilSql('marking-close', {
          CLOSE_NS: closeNs(repo, date),
          WINDOW_NS: Math.round(c.windowMinutes * MINUTE),
          MIN_ORDERS: Math.max(1, Math.round(c.minOrders)),
          MIN_VOLUME_SHARE: c.minVolumeShare,
        }),
      ),
    )
  const f = config.frontRunning
  if (f.enabled)
    await timed('front-running', () =>
      runAll(
        repo,
        surveilSql('front-running', {
          MIN_ORDER_SHARES: f.minOrderShares,
          MAX_HOLD_NS: Math.round(f.maxHoldSeconds * SECOND),
          EXIT_NS: Math.round(f.exitSeconds * SECOND),
        }),
      ),
    )
  const n = config.news
  await repo.db.run('CREATE OR REPLACE TEMP TABLE sv_news (symbol VARCHAR, news_ns BIGINT, headline VARCHAR)')
  if (n.enabled && news.length > 0)
    await timed('news', async () => {
      for (const item of news)
        await repo.db.run('INSERT INTO sv_news VALUES ($1, $2, $3)', [item.symbol, item.ns, item.headline])
      await runAll(
        repo,
        surveilSql('news', {
          LOOKBACK_NS: Math.round(n.lookbackMinutes * MINUTE),
          AFTER_NS: Math.round(n.afterMinutes * MINUTE),
          MIN_MOVE: n.minMove,
          MIN_SHARES: n.minShares,
          REQUIRE_EXIT: n.requireExit,
          EXIT_NS: Math.round(n.exitMinutes * MINUTE),
        }),
      )
    })
  const rows = await repo.db.all<Record<string, unknown>>(
    `SELECT kind, symbol, from_ns::VARCHAR AS from_ns, to_ns::VARCHAR AS to_ns, round(score, 3) AS score,
       to_json(list_sort(participants))::VARCHAR AS participants, to_json(list_sort(events))::VARCHAR AS events, reason
     FROM sv_alerts ORDER BY from_ns, kind, symbol, reason`,
  )
  const count = await repo.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM sv_events')
  const alerts = rows.map((r): Alert => {
    const events = JSON.parse(String(r.events)) as Alert['events']
    const key = `${r.kind}|${r.symbol}|${events.map((e) => `${e.reporter}/${e.firmROEID}`).join(',')}`
    return {
      id: `A${date}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`,
      kind: r.kind as AlertKind,
      symbol: String(r.symbol),
      from: String(r.from_ns),
      to: String(r.to_ns),
      score: Number(r.score),
      participants: JSON.parse(String(r.participants)) as Alert['participants'],
      events,
      reason: String(r.reason),
    }
  })
  return { alerts, events: count?.n ?? 0, timings }
}
