/**
 * The portal's read-only connections to the repository: one database instance, opened on the first request
 * of a burst and closed a while after the last, and up to `connections` connections to it, so requests run
 * in parallel instead of queueing behind one another on one connection. Requests beyond that wait in one
 * queue per account, served round-robin, and one account holds at most `perAccount` connections at once:
 * a caller firing hundreds of slow queries delays its own answers, not everyone else's. An account with
 * `queuePerAccount` requests already waiting is refused (429) rather than queued without end.
 */
import { DEFAULT_SYMBOL_DAY_EVENTS, setSymbolDayBudget } from '../book/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { connectAgain, openRepository, type Repository } from '../store/repository.ts'

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
  /**
   * Book events this process keeps in memory between requests (symbol days: every venue's events of a
   * symbol and date and their NBBO, src/book/symbol-day.ts); 0 reads the store on every request.
   * @default DEFAULT_SYMBOL_DAY_EVENTS
   */
  readonly symbolDayEvents?: number
}

interface Waiter {
  readonly resolve: (repo: Repository) => void
  readonly reject: (e: unknown) => void
}

/** A pool of connections over the repository in `dir`. */
export function connectionPool(dir: string, options: PoolOptions) {
  // A pool answers many questions over time, so the market they ask about is worth keeping.
  setSymbolDayBudget(options.symbolDayEvents ?? DEFAULT_SYMBOL_DAY_EVENTS)
  let base: Promise<Repository> | undefined
  const idle: Repository[] = []
  let open = 0
  let busy = 0
  const holding = new Map<string, number>()
  /** Waiting requests per account; the map's order is the round-robin order. */
  const queues = new Map<string, Waiter[]>()
  let closer: NodeJS.Timeout | undefined

  async function connection(): Promise<Repository> {
    if (idle.length > 0) return idle.pop()!
    base ??= openRepository(dir)
    const opened = base
    try {
      const repo = await opened
      // The first connection is the instance's own; the others share its instance.
      return open === 1 ? repo : await connectAgain(repo)
    } catch (e) {
      if (base === opened) base = undefined
      throw e
    }
  }

  function hand(account: string, waiter: Waiter): void {
    holding.set(account, (holding.get(account) ?? 0) + 1)
    busy++
    connection().then(waiter.resolve, (e) => {
      open--
      busy--
      holding.set(account, (holding.get(account) ?? 1) - 1)
      waiter.reject(e)
      dispatch()
    })
  }

  /** Gives free connections to the waiting accounts in turn, skipping those at their limit. */
  function dispatch(): void {
    while (busy < options.connections && queues.size > 0) {
      let served = false
      for (const [account, waiting] of queues) {
        if (busy >= options.connections) break
        if ((holding.get(account) ?? 0) >= options.perAccount) continue
        const waiter = waiting.shift()!
        queues.delete(account)
        // Back of the round: an account with more waiting goes after the others.
        if (waiting.length > 0) queues.set(account, waiting)
        if (idle.length === 0) open++
        hand(account, waiter)
        served = true
      }
      if (!served) break
    }
  }

  return {
    /** A connection for one request of `account`; give it back with `release`. */
    acquire(account: string): Promise<Repository> {
      clearTimeout(closer)
      const waiting = queues.get(account) ?? []
      if (waiting.length >= options.queuePerAccount)
        return Promise.reject(
          new OpenCatError(
            'OCAT_ERR_RATE_LIMITED',
            `too many requests in progress for ${account}: ${waiting.length} already waiting; retry when some are answered`,
          ),
        )
      return new Promise<Repository>((resolve, reject) => {
        waiting.push({ resolve, reject })
        if (!queues.has(account)) queues.set(account, waiting)
        dispatch()
      })
    },
    release(account: string, repo: Repository): void {
      busy--
      holding.set(account, (holding.get(account) ?? 1) - 1)
      if ((holding.get(account) ?? 0) <= 0) holding.delete(account)
      idle.push(repo)
      dispatch()
      if (busy > 0 || queues.size > 0) return
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
