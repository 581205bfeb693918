/**
 * The simulator's only source of randomness: xoshiro128** seeded through splitmix64, so a seed gives the
 * same day on every machine and Node version. Never Math.random.
 */

const MASK64 = (1n << 64n) - 1n

function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64
  let z = next
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64
  return [next, z ^ (z >> 31n)]
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** Hashes a label to 64 bits (FNV-1a), to derive independent streams from one seed. */
function labelHash(label: string): bigint {
  let h = 0xcbf29ce484222325n
  for (let i = 0; i < label.length; i++) h = ((h ^ BigInt(label.charCodeAt(i))) * 0x100000001b3n) & MASK64
  return h
}

/** A seeded pseudo-random generator (xoshiro128**) with the distributions the market model needs. */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spare: number | undefined

  constructor(seed: bigint | number, label = '') {
    let s = (BigInt(seed) ^ labelHash(label)) & MASK64
    const words: number[] = []
    for (let i = 0; i < 2; i++) {
      const [next, z] = splitmix64(s)
      s = next
      words.push(Number(z & 0xffffffffn), Number(z >> 32n))
    }
    this.a = words[0]
    this.b = words[1]
    this.c = words[2]
    this.d = words[3]
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** An independent generator for one concern (faults, customers, ...), so adding draws elsewhere does not shift it. */
  fork(label: string): Rng {
    return new Rng(BigInt(this.u32()) * 0x100000000n + BigInt(this.u32()), label)
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** A uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** An index drawn with the given non-negative weights (cumulative sums, last = total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.float() * cumulative[cumulative.length - 1]
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** A standard normal deviate (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare
      this.spare = undefined
      return s
    }
    for (;;) {
      const u = 2 * this.float() - 1
      const v = 2 * this.float() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s)
        this.spare = v * m
        return u * m
      }
    }
  }

  /** An exponential deviate with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.float())
  }

  /** A log-normal deviate with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /** A geometric count ≥ 0 with the given mean. */
  geometric(mean: number): number {
    if (mean <= 0) return 0
    return Math.floor(Math.log(1 - this.float()) / Math.log(mean / (mean + 1)))
  }

  /** A Pareto deviate ≥ min with tail index alpha (smaller alpha, heavier tail). */
  pareto(min: number, alpha: number): number {
    return min / (1 - this.float()) ** (1 / alpha)
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = items[i]
      items[i] = items[j]
      items[j] = t
    }
    return items
  }
}

/** Cumulative sums of weights, for Rng.weighted. */
export function cumulative(weights: readonly number[]): number[] {
  const out: number[] = []
  let sum = 0
  for (const w of weights) {
    sum += w
    out.push(sum)
  }
  return out
}
