/**
 * The scaling benchmark's figures as an SVG picture: seconds and peak memory of each stage against the
 * day's size, both axes logarithmic, so a stage whose time grows linearly with the day runs parallel to
 * the dashed "linear" guide and one whose memory stays flat is a level line.
 */
import type { ScalingPoint } from './scaling.bench.ts'

const W = 460
const H = 300
const PAD = { left: 62, right: 16, top: 30, bottom: 44 }
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b']

function logScale(lo: number, hi: number, from: number, to: number): (v: number) => number {
  const a = Math.log10(lo)
  const b = Math.log10(hi)
  return (v) => from + ((Math.log10(v) - a) / (b - a || 1)) * (to - from)
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = []
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e
      if (v >= lo && v <= hi) out.push(v)
    }
  return out
}

function label(v: number): string {
  if (v >= 1e6) return `${v / 1e6} M`
  if (v >= 1e3) return `${v / 1e3} k`
  return String(v)
}

/** One panel: `value` of each stage's points against events, at horizontal offset `x0`. */
function panel(
  points: readonly ScalingPoint[],
  stages: readonly string[],
  x0: number,
  title: string,
  unit: string,
  value: (p: ScalingPoint) => number,
): string {
  const xs = points.map((p) => p.events)
  const ys = points.map(value).filter((v) => v > 0)
  const [xlo, xhi] = [Math.min(...xs) / 1.2, Math.max(...xs) * 1.2]
  const [ylo, yhi] = [Math.min(...ys) / 2, Math.max(...ys) * 2]
  const x = logScale(xlo, xhi, x0 + PAD.left, x0 + W - PAD.right)
  const y = logScale(ylo, yhi, H - PAD.bottom, PAD.top)
  const parts: string[] = [
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`,
    `<rect x="${x0 + PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`,
  ]
  for (const v of decades(xlo, xhi))
    parts.push(`<text x="${x(v)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${label(v)}</text>`)
  parts.push(`<text x="${x0 + W / 2}" y="${H - 8}" text-anchor="middle">events in the day</text>`)
  for (const v of decades(ylo, yhi)) {
    parts.push(
      `<line x1="${x0 + PAD.left}" x2="${x0 + W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
    )
    parts.push(`<text x="${x0 + PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${label(v)}</text>`)
  }
  parts.push(
    `<text x="${x0 + 14}" y="${H / 2}" transform="rotate(-90 ${x0 + 14} ${H / 2})" text-anchor="middle">${unit}</text>`,
  )
  stages.forEach((stage, i) => {
    const own = points.filter((p) => p.stage === stage && value(p) > 0).sort((a, b) => a.events - b.events)
    if (own.length === 0) return
    const c = COLOURS[i % COLOURS.length]
    parts.push(
      `<polyline fill="none" stroke="${c}" stroke-width="2" points="${own.map((p) => `${x(p.events)},${y(value(p))}`).join(' ')}"/>`,
    )
    for (const p of own) parts.push(`<circle cx="${x(p.events)}" cy="${y(value(p))}" r="3" fill="${c}"/>`)
    parts.push(`<text x="${x0 + PAD.left + 8}" y="${PAD.top + 16 + 14 * i}" fill="${c}">${stage}</text>`)
  })
  return parts.join('\n')
}

/**
 * Time and peak memory per stage against the day's size, side by side; a stage keeps its colour in both.
 * Lookups are left to the table: they run in the linkage benchmark's process, after it.
 */
export function scalingPlot(points: readonly ScalingPoint[]): string {
  const drawn = points.filter((p) => !p.stage.startsWith('lookup'))
  const stages = [...new Set(drawn.map((p) => p.stage))]
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" font-family="sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="white"/>',
    panel(drawn, stages, 0, 'Time per stage', 'seconds', (p) => p.seconds),
    panel(
      drawn.filter((p) => p.stage !== 'bare engine'),
      stages,
      W,
      'Peak memory of the process',
      'MB',
      (p) => p.peakRssMB,
    ),
    '</svg>',
  ].join('\n')
}
