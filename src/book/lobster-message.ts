/**
 * One line of a LOBSTER message file: `time,type,order_id,size,price,direction`, no header. Time is seconds
 * after midnight (ET, the trading day's wall clock); price is dollars × 10000; direction 1 buy, -1 sell.
 */

/** LOBSTER event types: 1 new limit order, 2 partial cancel, 3 delete, 4 visible execution, 5 hidden execution, 6 cross trade, 7 trading halt indicator. */
export type LobsterType = 1 | 2 | 3 | 4 | 5 | 6 | 7

/** A parsed message line; `time` keeps the text as written. */
export interface LobsterMessage {
  readonly time: string
  /** Nanoseconds after midnight (see `parseLobsterTime`). */
  readonly nsOfDay: number
  readonly type: LobsterType
  /** Order reference number; 0 for hidden executions, negative pseudo ids for crosses. */
  readonly orderId: number
  readonly size: number
  /** Dollars × 10000; for type 7: -1 halt, 0 quoting, 1 trading. */
  readonly price: number
  readonly direction: 1 | -1
}

/** A line that is not a LOBSTER message, and why. */
export interface LobsterLineProblem {
  /** 1-based line number. */
  readonly line: number
  readonly reason: string
}

const INT = /^-?\d+$/
const TIME = /^(\d+)(?:\.(\d+))?$/

/**
 * Parses LOBSTER's time text into nanoseconds after midnight; undefined when malformed. Digits past the ninth
 * come from LOBSTER's double arithmetic (see `formatLobsterTime`) and are rounded away.
 */
export function parseLobsterTime(text: string): number | undefined {
  const m = TIME.exec(text)
  if (m === null) return undefined
  const digits = m[2] ?? ''
  let frac = Number((digits + '00000000').slice(0, 9))
  if (digits.length > 9 && digits.charCodeAt(9) >= 53) frac++
  return Number(m[1]) * 1e9 + frac
}

/**
 * LOBSTER's own time text for nanoseconds after midnight. LOBSTER adds the fraction to the whole seconds as
 * doubles and prints the shortest decimal that reads back to the sum: `43002.632812672` ns-exact becomes
 * `43002.632812672004`, `40329.336470061` becomes `40329.336470060996`, and trailing zeros vanish
 * (`34200.18960767`). Every line of the sample files obeys this, and the text always reads back to the ns.
 */
export function formatLobsterTime(nsOfDay: number): string {
  const sec = Math.floor(nsOfDay / 1e9)
  return String(sec + (nsOfDay - sec * 1e9) / 1e9)
}

/** Parses one message line (1-based `line` for problems). */
export function parseLobsterMessage(text: string, line = 0): LobsterMessage | LobsterLineProblem {
  const cells = text.split(',')
  if (cells.length !== 6) return { line, reason: `expected 6 columns, found ${cells.length}` }
  const nsOfDay = parseLobsterTime(cells[0])
  if (nsOfDay === undefined) return { line, reason: `time ${cells[0]} is not seconds after midnight` }
  for (let i = 1; i < 6; i++) {
    if (!INT.test(cells[i])) return { line, reason: `column ${i + 1} (${cells[i]}) is not an integer` }
  }
  const type = Number(cells[1])
  if (type < 1 || type > 7) return { line, reason: `type ${type} is not 1-7` }
  const direction = Number(cells[5])
  if (direction !== 1 && direction !== -1) return { line, reason: `direction ${direction} is not 1 or -1` }
  return {
    time: cells[0],
    nsOfDay,
    type: type as LobsterType,
    orderId: Number(cells[2]),
    size: Number(cells[3]),
    price: Number(cells[4]),
    direction,
  }
}

/** True when `parseLobsterMessage` gave a problem. */
export function isLobsterProblem(m: LobsterMessage | LobsterLineProblem): m is LobsterLineProblem {
  return (m as LobsterLineProblem).reason !== undefined
}

/** Parses a whole message file; problems are listed, never thrown. */
export function parseLobsterMessages(text: string): {
  messages: LobsterMessage[]
  problems: LobsterLineProblem[]
} {
  const messages: LobsterMessage[] = []
  const problems: LobsterLineProblem[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i]
    if (raw === '' && i === lines.length - 1) break
    const m = parseLobsterMessage(raw, i + 1)
    if (isLobsterProblem(m)) problems.push(m)
    else messages.push(m)
  }
  return { messages, problems }
}

/** Writes a message line in LOBSTER's form (time from `nsOfDay`, as LOBSTER prints it). */
export function formatLobsterMessage(m: Omit<LobsterMessage, 'time'>): string {
  return `${formatLobsterTime(m.nsOfDay)},${m.type},${m.orderId},${m.size},${m.price},${m.direction}`
}
