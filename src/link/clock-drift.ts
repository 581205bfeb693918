/**
 * Clock drift per reporter from linked routes. Between a route and its accept, the accept's timestamp
 * minus the route's is the network latency plus the receiver's clock offset minus the sender's. The
 * median difference of every (sender, receiver) pair is robust to odd routes; across pairs, the offsets
 * and one latency per kind of route (firm to firm, firm to exchange, exchange to firm) are a weighted
 * least-squares fit. Latency and a common offset of all firms cannot be told apart from one-way routes,
 * so the median firm and the median exchange are taken as on time (most reporters are). Firms off by
 * more than 50 ms and exchanges off by more than 100 µs are flagged.
 */

/** Linked routes between one sender and one receiver. */
export interface RoutePairStat {
  readonly sender: string
  readonly receiver: string
  /** F firm to firm, E firm to exchange, X exchange to firm. */
  readonly fam: 'F' | 'E' | 'X'
  readonly pairs: number
  /** Median of accept time minus route time, ns. */
  readonly medianNs: number
  /** Accepts stamped before their route. */
  readonly early: number
}

/** The clock estimate of one reporter. */
export interface DriftEstimate {
  readonly reporter: string
  readonly kind: 'firm' | 'exchange'
  /** Estimated offset against the exchanges' time, ns (positive: the reporter's clock is ahead). */
  readonly offsetNs: number
  readonly pairs: number
  readonly counterparties: number
  readonly earlyAccepts: number
  readonly toleranceNs: number
  readonly flagged: boolean
}

function weightedMedian(values: number[], weights: number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b])
  const total = weights.reduce((s, w) => s + w, 0)
  let acc = 0
  for (const i of order) {
    acc += weights[i]
    if (acc * 2 >= total) return values[i]
  }
  return values[order[order.length - 1]] ?? 0
}

/** Estimates every reporter's clock offset from route statistics. */
export function estimateClockOffsets(
  stats: readonly RoutePairStat[],
  isExchange: (reporter: string) => boolean,
  tolerance: { firmNs: number; exchangeNs: number },
): DriftEstimate[] {
  const reporters = [...new Set(stats.flatMap((s) => [s.sender, s.receiver]))].sort()
  const index = new Map(reporters.map((r, i) => [r, i]))
  const fams = ['F', 'E', 'X'] as const
  const n = reporters.length + fams.length
  const incident = new Map<string, RoutePairStat[]>(reporters.map((r) => [r, []]))
  for (const s of stats) {
    incident.get(s.sender)!.push(s)
    if (s.receiver !== s.sender) incident.get(s.receiver)!.push(s)
  }
  // Normal equations of the weighted fit; medians are taken relative to the overall median for precision.
  const center = weightedMedian(
    stats.map((s) => s.medianNs),
    stats.map((s) => s.pairs),
  )
  const ata = Array.from({ length: n }, () => new Float64Array(n))
  const atb = new Float64Array(n)
  const add = (coef: Map<number, number>, b: number, w: number) => {
    for (const [i, ci] of coef) {
      atb[i] += w * ci * b
      for (const [j, cj] of coef) ata[i][j] += w * ci * cj
    }
  }
  for (const s of stats) {
    const coef = new Map<number, number>()
    const recv = index.get(s.receiver)!
    const send = index.get(s.sender)!
    coef.set(recv, (coef.get(recv) ?? 0) + 1)
    coef.set(send, (coef.get(send) ?? 0) - 1)
    coef.set(reporters.length + fams.indexOf(s.fam), 1)
    add(coef, s.medianNs - center, s.pairs)
  }
  const groups = connectedGroups(reporters, stats)
  const total = stats.reduce((t, s) => t + s.pairs, 0) || 1
  for (const group of groups) {
    for (const members of [group.filter(isExchange), group.filter((r) => !isExchange(r))]) {
      if (members.length > 0) add(new Map(members.map((r) => [index.get(r)!, 1])), 0, total)
    }
  }
  for (let i = 0; i < n; i++) ata[i][i] += 1e-9 * total
  const x = solve(ata, atb)
  const offset = new Map(reporters.map((r, i) => [r, x[i]]))
  // Latency and a common offset are one unknown: take the median firm and median exchange as on time.
  for (const group of groups) {
    for (const members of [group.filter(isExchange), group.filter((r) => !isExchange(r))]) {
      if (members.length === 0) continue
      const zero = weightedMedian(
        members.map((r) => offset.get(r)!),
        members.map(() => 1),
      )
      for (const r of members) offset.set(r, offset.get(r)! - zero)
    }
  }
  return reporters.map((r) => {
    const mine = incident.get(r)!
    const kind = isExchange(r) ? 'exchange' : 'firm'
    const toleranceNs = kind === 'exchange' ? tolerance.exchangeNs : tolerance.firmNs
    const offsetNs = Math.round(offset.get(r)!)
    return {
      reporter: r,
      kind,
      offsetNs,
      pairs: mine.reduce((n, s) => n + s.pairs, 0),
      counterparties: new Set(mine.map((s) => (s.sender === r ? s.receiver : s.sender))).size,
      earlyAccepts: mine.reduce((n, s) => n + s.early, 0),
      toleranceNs,
      flagged: Math.abs(offsetNs) > toleranceNs,
    }
  })
}

// Gaussian elimination with partial pivoting (the system is small: one unknown per reporter).
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length
  const m = a.map((row) => Float64Array.from(row))
  const y = Float64Array.from(b)
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r
    ;[m[c], m[p]] = [m[p], m[c]]
    ;[y[c], y[p]] = [y[p], y[c]]
    const d = m[c][c]
    if (Math.abs(d) < 1e-30) continue
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / d
      if (f === 0) continue
      for (let k = c; k < n; k++) m[r][k] -= f * m[c][k]
      y[r] -= f * y[c]
    }
  }
  const x = new Float64Array(n)
  for (let c = n - 1; c >= 0; c--) {
    let v = y[c]
    for (let k = c + 1; k < n; k++) v -= m[c][k] * x[k]
    x[c] = Math.abs(m[c][c]) < 1e-30 ? 0 : v / m[c][c]
  }
  return x
}

function connectedGroups(reporters: string[], stats: readonly RoutePairStat[]): string[][] {
  const group = new Map(reporters.map((r) => [r, r]))
  const find = (r: string): string => {
    while (group.get(r) !== r) r = group.get(r)!
    return r
  }
  for (const s of stats) group.set(find(s.sender), find(s.receiver))
  const out = new Map<string, string[]>()
  for (const r of reporters) {
    const g = find(r)
    out.set(g, [...(out.get(g) ?? []), r])
  }
  return [...out.values()]
}
