/**
 * Draws a lifecycle as a tree in the terminal: each event under the event it links from, with the link
 * kind, reporter, type, time of day (ET) and order terms (a package's legs too); a change of reporter is marked, so a route
 * crossing from one firm or venue to the next stands out.
 */
import type { Lifecycle, LifecycleEvent } from './lifecycle-lookup.ts'

function timeOfDay(ts: string): string {
  const m = /^[0-9]{8}[T ]([0-9]{2})([0-9]{2})([0-9]{2})(\.[0-9]+)?$/.exec(ts)
  return m ? `${m[1]}:${m[2]}:${m[3]}${m[4] ?? ''}` : ts
}

function terms(e: LifecycleEvent): string {
  const parts = [e.side, e.quantity, e.price !== undefined ? `@ ${e.price}` : undefined].filter(
    (p) => p !== undefined,
  )
  return parts.join(' ')
}

/** A package's legs: `legs 1: B 1 × <series> Open; 2: …`. */
function legs(e: LifecycleEvent): string | undefined {
  if (!e.legs?.length) return undefined
  const leg = (l: Readonly<Record<string, string>>) =>
    [`${l.legRefID}:`, l.side, l.legRatioQuantity, '×', l.optionID ?? l.symbol, l.openCloseIndicator]
      .filter((p) => p !== undefined)
      .join(' ')
  return `legs ${e.legs.map(leg).join('; ')}`
}

/** The lifecycle as text lines. */
export function renderLifecycleTree(lc: Lifecycle): string {
  const key = (r: { reporter: string; firmROEID: string }) => `${r.reporter}\t${r.firmROEID}`
  const byKey = new Map(lc.events.map((e) => [key(e), e]))
  const children = new Map<string, { to: string; kind: string }[]>()
  const incoming = new Set<string>()
  for (const l of lc.links) {
    const f = key(l.from)
    const t = key(l.to)
    if (!byKey.has(t)) continue
    children.set(f, [...(children.get(f) ?? []), { to: t, kind: l.kind }])
    if (byKey.has(f)) incoming.add(t)
  }
  const order = (a: string, b: string) => lc.events.indexOf(byKey.get(a)!) - lc.events.indexOf(byKey.get(b)!)
  for (const list of children.values()) list.sort((a, b) => order(a.to, b.to))
  const reporters = [...new Set(lc.events.map((e) => e.reporter))]
  const width = Math.max(...reporters.map((r) => r.length), 4)
  const symbol = lc.events.find((e) => e.symbol)?.symbol
  const lines = [
    `lifecycle ${lc.lifecycleId}${symbol ? `  ${symbol}` : ''}  ${lc.events.length} events across ${reporters.length} reporter${reporters.length === 1 ? '' : 's'} (${reporters.join(', ')})`,
  ]
  if (lc.alsoIn?.length) lines.push(`(this event also belongs to ${lc.alsoIn.join(', ')})`)
  const shown = new Set<string>()
  const line = (e: LifecycleEvent, prefix: string, kind: string | undefined, crossed: boolean) => {
    const label = kind ? `${kind}${crossed ? ' ⇒' : ' →'} ` : ''
    const rest = [e.type.padEnd(5), timeOfDay(e.eventTimestamp), e.firmROEID, terms(e), legs(e)]
      .filter(Boolean)
      .join('  ')
    return `${prefix}${label}${e.reporter.padEnd(width)}  ${rest}`
  }
  const walk = (
    k: string,
    prefix: string,
    childPrefix: string,
    kind: string | undefined,
    parent: LifecycleEvent | undefined,
  ) => {
    const e = byKey.get(k)!
    const again = shown.has(k)
    lines.push(
      line(e, prefix, kind, parent !== undefined && parent.reporter !== e.reporter) +
        (again ? '  (see above)' : ''),
    )
    if (again) return
    shown.add(k)
    const kids = children.get(k) ?? []
    kids.forEach((c, i) => {
      const last = i === kids.length - 1
      walk(c.to, `${childPrefix}${last ? '└─ ' : '├─ '}`, `${childPrefix}${last ? '   ' : '│  '}`, c.kind, e)
    })
  }
  for (const e of lc.events) {
    const k = key(e)
    if (!incoming.has(k) && !shown.has(k)) walk(k, '', '', undefined, undefined)
  }
  return `${lines.join('\n')}\n`
}
