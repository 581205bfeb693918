/**
 * The market at an instant as regulators read it: a venue's book (price levels best first, optionally the
 * orders in queue order and one order's queue position) and a symbol's NBBO. One shape for the CLI's
 * `--json` and the portal's API.
 */
import {
  checkpointsOf,
  formatPrice,
  formatQuantity,
  keptSymbolDay,
  marketStateOf,
  type Nbbo,
  nbboAt,
  type OrderBook,
  storedBookAt,
  storedBooksAt,
  venuesOf,
} from '../book/index.ts'
import { OpenCatError } from '../common/errors.ts'
import { etDateOf } from '../common/time/cat-date.ts'
import { formatCatTimestamp } from '../common/time/cat-timestamp.ts'
import type { Repository } from '../store/repository.ts'

/** One price level of a book view; prices and share quantities are exact decimal text. */
export interface LevelView {
  readonly price: string
  readonly size: string
  readonly hidden?: string
  readonly orders: number
  readonly queue?: { orderId: string; displayQty: string; leavesQty: string }[]
}

/** A venue's book at an instant. */
export interface BookView {
  readonly venue: string
  readonly symbol: string
  /** The instant, as a CAT timestamp in Eastern Time. */
  readonly at: string
  readonly status: string
  /** Events applied to reach the instant. */
  readonly applied: number
  readonly bids: LevelView[]
  readonly asks: LevelView[]
  /** Best bid above best offer: never so in a venue's real book, so the rebuilt one misses events. */
  readonly crossed: boolean
  /** Best bid equal to best offer. */
  readonly locked: boolean
  /** Inconsistencies met applying the venue's events (by kind; only those that occurred). */
  readonly anomalies: Record<string, number>
  /** What a crossed or locked book means, when it is one. */
  readonly notice?: string
  readonly queuePosition?: {
    orderId: string
    side: string
    price: string
    ordersAhead: number
    sharesAhead: string
  }
}

/** What to show of a book. */
export interface BookQuery {
  readonly venue: string
  readonly symbol: string
  readonly ns: bigint
  /** Price levels per side. */
  readonly depth: number
  /** List each level's resting orders in queue order. */
  readonly orders?: boolean
  /** An exchange order id whose queue position to give; not resting → OCAT_ERR_NOT_FOUND. */
  readonly orderId?: string
}

/** The book of `venue`/`symbol` after every event at or before `ns`. */
export async function bookView(repo: Repository, q: BookQuery): Promise<BookView> {
  assertDepth(q.depth)
  const book = await storedBookAt(repo, q.venue, q.symbol, q.ns)
  // An empty book is an answer before the first order of the day, but not for a venue or symbol with none.
  if (book.applied === 0 && (await checkpointsOf(repo, q.venue, q.symbol, etDateOf(q.ns))).events === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `${q.venue} has no events for ${q.symbol} on ${etDateOf(q.ns)}; check the venue, the symbol and the date`,
    )
  return bookViewOf(book, q)
}

function assertDepth(depth: number): void {
  if (!Number.isInteger(depth) || depth < 1)
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'depth must be a whole number ≥ 1')
}

/** The view of a book built for `q`. */
function bookViewOf(book: OrderBook, q: BookQuery): BookView {
  const d = book.depth(q.depth)
  const level = (l: (typeof d.bids)[number], side: 'B' | 'S'): LevelView => ({
    price: formatPrice(l.price),
    size: formatQuantity(l.size),
    ...(l.hidden > 0n ? { hidden: formatQuantity(l.hidden) } : {}),
    orders: l.orders,
    ...(q.orders
      ? {
          queue: book.levelOrders(side, l.price).map((o) => ({
            orderId: o.orderId,
            displayQty: formatQuantity(o.displayQty),
            leavesQty: formatQuantity(o.leavesQty),
          })),
        }
      : {}),
  })
  const state = marketStateOf(book.bestBid()?.price, book.bestAsk()?.price)
  const anomalies = Object.fromEntries(Object.entries(book.anomalies).filter(([, n]) => n > 0))
  const queue = q.orderId ? book.queuePosition(q.orderId) : undefined
  if (q.orderId && !queue)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `order ${q.orderId} is not resting in the book at that instant`,
    )
  return {
    ...(queue && q.orderId
      ? {
          queuePosition: {
            orderId: q.orderId,
            side: queue.side,
            price: formatPrice(queue.price),
            ordersAhead: queue.ordersAhead,
            sharesAhead: formatQuantity(queue.sharesAhead),
          },
        }
      : {}),
    venue: q.venue,
    symbol: q.symbol,
    at: formatCatTimestamp(q.ns),
    status: book.status,
    applied: book.applied,
    bids: d.bids.map((l) => level(l, 'B')),
    asks: d.asks.map((l) => level(l, 'S')),
    crossed: state === 'crossed',
    locked: state === 'locked',
    anomalies,
    ...(state === 'crossed'
      ? {
          notice:
            "crossed book: a venue's own book never has its bid above its offer, so the stored events miss some (orders that left unreported, e.g. a level-N LOBSTER import without its orderbook file)",
        }
      : state === 'locked'
        ? { notice: 'locked book: the best bid equals the best offer, which a venue would have matched' }
        : {}),
  }
}

/** A symbol's NBBO at an instant, prices and sizes as exact decimal text; prices null before any venue quoted that side. */
export interface NbboView {
  readonly symbol: string
  readonly at: string
  readonly bid: string | null
  readonly bidSize: string
  readonly bidVenues: string[]
  readonly ask: string | null
  readonly askSize: string
  readonly askVenues: string[]
  /** Bid above offer: some venue's quote was traded through (or a venue's feed is incomplete). */
  readonly crossed: boolean
  /** Bid equal to offer across venues. */
  readonly locked: boolean
}

/** The NBBO of `symbol` after every event at or before `ns`, over every venue that trades it. */
export async function nbboView(repo: Repository, symbol: string, ns: bigint): Promise<NbboView> {
  const n = await nbboAt(repo, symbol, ns)
  const venues = await venuesOfDay(repo, symbol, etDateOf(ns))
  if (n === undefined && venues.length === 0)
    throw new OpenCatError(
      'OCAT_ERR_NOT_FOUND',
      `no venue has events for ${symbol} on ${etDateOf(ns)}; check the symbol and the date`,
    )
  return nbboViewOf(symbol, ns, n)
}

/** The view `opencat nbbo` prints of the NBBO `n` of `symbol` at `ns` (undefined: no venue quotes yet). */
export function nbboViewOf(symbol: string, ns: bigint, n: Nbbo | undefined): NbboView {
  const state = marketStateOf(n?.bidPrice, n?.askPrice)
  return {
    symbol,
    at: formatCatTimestamp(ns),
    bid: n?.bidPrice === undefined ? null : formatPrice(n.bidPrice),
    bidSize: formatQuantity(n?.bidSize ?? 0n),
    bidVenues: [...(n?.bidVenues ?? [])],
    ask: n?.askPrice === undefined ? null : formatPrice(n.askPrice),
    askSize: formatQuantity(n?.askSize ?? 0n),
    askVenues: [...(n?.askVenues ?? [])],
    crossed: state === 'crossed',
    locked: state === 'locked',
  }
}

/** The venues with book events of `symbol` on `date`: from the symbol's day when kept, else the store's. */
async function venuesOfDay(repo: Repository, symbol: string, date: number): Promise<readonly string[]> {
  return (await keptSymbolDay(repo, symbol, date))?.venues ?? (await venuesOf(repo, symbol, date))
}

/** A symbol's whole market at an instant: the NBBO and every venue's book, as the portal's depth shows it. */
export interface DepthView {
  readonly symbol: string
  /** The instant, as a CAT timestamp in Eastern Time. */
  readonly at: string
  /** The instant as UTC nanoseconds since the epoch (decimal text), for charts and replay rows. */
  readonly ns: string
  readonly nbbo: NbboView
  /** Every venue with events for the symbol that day, in venue order. */
  readonly books: BookView[]
}

/**
 * The NBBO and each venue's top `depth` levels of `symbol` at `ns`: one request for what `nbboView` and
 * one `bookView` per venue give, so a page showing the market at an instant waits for one answer.
 */
export async function depthView(
  repo: Repository,
  symbol: string,
  ns: bigint,
  depth: number,
): Promise<DepthView> {
  // The NBBO first: it answers 404 for a symbol no venue has events for that day.
  assertDepth(depth)
  const nbbo = await nbboView(repo, symbol, ns)
  const date = etDateOf(ns)
  const venues = (await keptSymbolDay(repo, symbol, date))?.venues ?? (await venuesOf(repo, symbol, date))
  const books = await storedBooksAt(repo, venues, symbol, ns)
  return {
    symbol,
    at: formatCatTimestamp(ns),
    ns: ns.toString(),
    nbbo,
    books: books.map((book, i) => bookViewOf(book, { venue: venues[i] as string, symbol, ns, depth })),
  }
}
