/**
 * The portal's read-only connections to the repository: one database instance, opened on the first request
 * of a burst and closed a while after the last, and up to `connections` connections to it, so requests run
 * in parallel instead of queueing behind one another on one connection.
 *
 * Requests beyond that wait in two lanes: quick routes (most answer in tens of milliseconds) and slow ones
 * (a route most of whose recent requests held a connection for `slowMs` or more, measured as the portal runs:
 * customers' days, SQL, extracts; a route answered quickly from memory most of the time stays quick), so a
 * hundred slow requests do not hold up a lifecycle behind them. A request that names its question (what it
 * reads: a symbol's day, a customer) and asks one answered before is quick after its first answer (which
 * the portal keeps in memory) and then goes by that question's latest time: a book of a symbol already in
 * memory is quick on a route whose first reads of each symbol are slow. Slow requests hold at
 * most half the connections, and while slow requests wait one of them always runs: neither lane starves
 * the other. Within a lane each account has its own queue, served round-robin, each queue shortest expected
 * request first (by its question's or route's recent times), and one account holds at most
 * `perAccount` connections: a caller firing hundreds of queries delays its own answers, not everyone else's.
 * An account with `queuePerAccount` requests already waiting is refused (429, with the seconds after which to
 * retry) rather than queued without end.
 */
import { DEFAULT_SYMBOL_DAY_EVENTS, setSymbolDayBudget } from '../book/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { connectAgain, openRepository, type Repository } from '../store/repository.ts'
import { holdStore } from '../store/store-version.ts'

/** Limits of the pool. */
export interface PoolOptions {
  /** Connections open at once. */
  readonly connections: number
  /** Connections one account may hold at once. */
  readonly perAccount: number
  /** Requests of one account that may wait for a connection. */
  readonly queuePerAccount: number
  /** How long idle connections are kept after a burst, ms. */
  readonly keepOpenMs: number
  /** A route most of whose recent requests held a connection this long (ms) waits in the slow lane. @default 150 */
  readonly slowMs?: number
  /**
   * Book events this process keeps in memory between requests (symbol days: every venue's events of a
   * symbol and date and their NBBO, src/book/symbol-day.ts); 0 reads the store on every request.
   * @default DEFAULT_SYMBOL_DAY_EVENTS
   */
  readonly symbolDayEvents?: number
}

/** Default of `PoolOptions.slowMs`. */
export const DEFAULT_SLOW_MS = 150
/** Requests per route (or question) whose times decide its lane. */
const RECENT = 8
/** Questions whose times are kept; the least recently asked are forgotten first. */
const QUESTIONS = 4096

interface Waiter {
  readonly route: string
  readonly question: string | undefined
  readonly resolve: (repo: Repository) => void
  readonly reject: (e: unknown) => void
}

type Lane = 'quick' | 'slow'

/** How long the latest requests held a connection (ms), their median, and the lane they make. */
interface Timing {
  readonly recent: readonly number[]
  readonly median: number
  readonly lane: Lane
}

/** `before` with one more request of `ms`: slow when the median of the latest is. */
function timed(before: Timing | undefined, ms: number, slowMs: number): Timing {
  const recent = [...(before?.recent ?? []), ms].slice(-RECENT)
  const median = [...recent].sort((a, b) => a - b)[recent.length >> 1]
  return { recent, median, lane: median >= slowMs ? 'slow' : 'quick' }
}

/** A pool of connections over the repository in `dir`. */
export function connectionPool(dir: string, options: PoolOptions) {
  // A pool answers many questions over time, so the market they ask about is worth keeping.
  setSymbolDayBudget(options.symbolDayEvents ?? DEFAULT_SYMBOL_DAY_EVENTS)
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS
  // Half the connections at most: quick requests keep the other half, and the engine's cores are not all
  // taken by long scans while lifecycles wait.
  const slowLimit = Math.max(1, Math.floor(options.connections / 2))
  let base: Promise<Repository> | undefined
  const idle: Repository[] = []
  let open = 0
  let busy = 0
  const holding = new Map<string, number>()
  /** Waiting requests per lane and account; each map's order is the round-robin order. */
  const queues: Record<Lane, Map<string, Waiter[]>> = { quick: new Map(), slow: new Map() }
  const running: Record<Lane, number> = { quick: 0, slow: 0 }
  /** Per route: how long its latest requests held a connection (ms), and its lane by them. */
  const timing = new Map<string, Timing>()
  /** Per question (a route and what it asks about): how often it was answered, the lane of its latest time; least recently asked first. */
  const questions = new Map<string, { answered: number; ms: number; lane: Lane }>()
  /** When each handed connection was handed, and in which lane. */
  const handed = new Map<
    Repository,
    { at: number; lane: Lane; route: string; question: string | undefined }
  >()
  let closer: NodeJS.Timeout | undefined

  // A question answered once is quick: what its first answer read (a symbol's day, a customer's day, the
  // summary) is kept in memory, however slow the route's first reads of other questions made the route.
  // Asked again, it goes by what it cost the last time (what was kept may have been dropped since).
  function laneOf(route: string, question: string | undefined): Lane {
    const asked = question === undefined ? undefined : questions.get(question)
    if (asked) return asked.answered === 1 ? 'quick' : asked.lane
    return timing.get(route)?.lane ?? 'quick'
  }
  // What a waiting request is expected to hold its connection for (ms): nothing for a question answered once
  // (its answer is kept), its latest time for one answered more often, else its route's median; a route not
  // seen yet counts as free, so it is learnt.
  function expectedMs(w: Waiter): number {
    const asked = w.question === undefined ? undefined : questions.get(w.question)
    if (asked) return asked.answered === 1 ? 0 : asked.ms
    return timing.get(w.route)?.median ?? 0
  }
  /**
   * The index of the waiter expected to take the least time. Only a markedly shorter one (under half) passes
   * an earlier one: times a few per cent apart are noise, and requests of like cost keep their order.
   */
  function shortest(waiting: readonly Waiter[]): number {
    let best = 0
    let bestMs = expectedMs(waiting[0])
    for (let i = 1; i < waiting.length; i++) {
      const ms = expectedMs(waiting[i])
      if (ms * 2 < bestMs) {
        best = i
        bestMs = ms
      }
    }
    return best
  }
  const waitingOf = (account: string) =>
    (queues.quick.get(account)?.length ?? 0) + (queues.slow.get(account)?.length ?? 0)

  async function connection(): Promise<Repository> {
    if (idle.length > 0) return idle.pop()!
    base ??= openRepository(dir)
    const opened = base
    try {
      const root = await opened
      // The first connection is the instance's own; the others share its instance.
      const repo = open === 1 ? root : await connectAgain(root)
      // While the instance is open no writer can change the catalogue under it.
      holdStore(repo)
      return repo
    } catch (e) {
      if (base === opened) base = undefined
      throw e
    }
  }

  function hand(account: string, lane: Lane, waiter: Waiter): void {
    holding.set(account, (holding.get(account) ?? 0) + 1)
    busy++
    running[lane]++
    connection().then(
      (repo) => {
        handed.set(repo, { at: performance.now(), lane, route: waiter.route, question: waiter.question })
        waiter.resolve(repo)
      },
      (e) => {
        open--
        busy--
        running[lane]--
        holding.set(account, (holding.get(account) ?? 1) - 1)
        waiter.reject(e)
        dispatch()
      },
    )
  }

  /** Moves the waiting slow requests asking `question` to the quick lane, each account's in its order. */
  function promote(question: string): void {
    for (const [account, waiting] of queues.slow) {
      const moving = waiting.filter((w) => w.question === question)
      if (moving.length === 0) continue
      const staying = waiting.filter((w) => w.question !== question)
      if (staying.length > 0) queues.slow.set(account, staying)
      else queues.slow.delete(account)
      const quick = queues.quick.get(account)
      if (quick) quick.push(...moving)
      else queues.quick.set(account, moving)
    }
  }

  /** The lane the next free connection serves, or undefined when no waiting request may have it. */
  function nextLane(): Lane | undefined {
    const slowWaiting = queues.slow.size > 0
    const slowMayRun = running.slow < slowLimit
    // Waiting slow requests always have one running; otherwise quick ones go first.
    if (slowWaiting && running.slow === 0) return 'slow'
    if (queues.quick.size > 0) return 'quick'
    return slowWaiting && slowMayRun ? 'slow' : undefined
  }

  /** Serves the next account in turn of `lane` that is under its limit; false if none is. */
  function serve(lane: Lane): boolean {
    for (const [account, waiting] of queues[lane]) {
      if ((holding.get(account) ?? 0) >= options.perAccount) continue
      // An account's own requests go shortest first: a burst of its lifecycles is not held up behind its
      // customers' days, and its total wait is the least for the work it asked for.
      const waiter = waiting.splice(shortest(waiting), 1)[0]
      queues[lane].delete(account)
      // Back of the round: an account with more waiting goes after the others.
      if (waiting.length > 0) queues[lane].set(account, waiting)
      if (idle.length === 0) open++
      hand(account, lane, waiter)
      return true
    }
    return false
  }

  /** Gives free connections to the waiting requests, lane by lane and account by account. */
  function dispatch(): void {
    while (busy < options.connections) {
      const lane = nextLane()
      if (lane === undefined) return
      if (serve(lane)) continue
      // Every account waiting in that lane is at its limit: try the other lane once.
      const other: Lane = lane === 'quick' ? 'slow' : 'quick'
      if (other === 'slow' && running.slow >= slowLimit) return
      if (!serve(other)) return
    }
  }

  /** Seconds after which a refused account may find room: its waiting requests served at the usual pace. */
  function retryAfterSeconds(account: string): number {
    const times = [...timing.values()].flatMap((t) => t.recent)
    const typical = times.length > 0 ? times.reduce((a, b) => a + b, 0) / times.length : 100
    return Math.max(1, Math.ceil((waitingOf(account) * typical) / options.perAccount / 1000))
  }

  return {
    /**
     * A connection for one request of `account` to `route`, asking `question` (a key naming what the request
     * reads, when its cost depends on it); give it back with `release`.
     */
    acquire(account: string, route = '', question?: string): Promise<Repository> {
      clearTimeout(closer)
      const waiting = waitingOf(account)
      if (waiting >= options.queuePerAccount) {
        const retryAfter = retryAfterSeconds(account)
        return Promise.reject(
          new OpenCatError(
            'OCAT_ERR_RATE_LIMITED',
            `too many requests in progress for ${account}: ${waiting} already waiting; retry in ${retryAfter} s`,
            { retryAfterSeconds: retryAfter },
          ),
        )
      }
      const lane = laneOf(route, question)
      return new Promise<Repository>((resolve, reject) => {
        const queue = queues[lane].get(account) ?? []
        queue.push({ route, question, resolve, reject })
        if (!queues[lane].has(account)) queues[lane].set(account, queue)
        dispatch()
      })
    },
    release(account: string, repo: Repository): void {
      const h = handed.get(repo)
      handed.delete(repo)
      if (h) {
        running[h.lane]--
        // A route is slow when most of its latest requests were: one answer kept in memory does not make a
        // route of long computations (customers' days) quick again.
        const ms = performance.now() - h.at
        const before = h.question === undefined ? undefined : questions.get(h.question)
        // The route's times are those of new questions: what a question not answered before costs.
        if (!before) timing.set(h.route, timed(timing.get(h.route), ms, slowMs))
        if (h.question !== undefined) {
          questions.delete(h.question)
          questions.set(h.question, {
            answered: (before?.answered ?? 0) + 1,
            ms,
            lane: ms >= slowMs ? 'slow' : 'quick',
          })
          if (questions.size > QUESTIONS) questions.delete(questions.keys().next().value!)
          // Requests of the same question that came while it was first asked are now answered from memory.
          if (!before) promote(h.question)
        }
      }
      busy--
      holding.set(account, (holding.get(account) ?? 1) - 1)
      if ((holding.get(account) ?? 0) <= 0) holding.delete(account)
      idle.push(repo)
      dispatch()
      if (busy > 0 || queues.quick.size > 0 || queues.slow.size > 0) return
      closer = setTimeout(() => {
        if (busy === 0) void closeAll()
      }, options.keepOpenMs)
      closer.unref()
    },
    async closeNow(): Promise<void> {
      clearTimeout(closer)
      await closeAll()
    },
  }

  async function closeAll(): Promise<void> {
    const opened = base
    base = undefined
    const root = opened ? await opened.catch(() => undefined) : undefined
    // Connections first, the instance's own (which closes the instance) last.
    for (const repo of idle.splice(0)) if (repo !== root) repo.close()
    open = 0
    root?.close()
  }
}
