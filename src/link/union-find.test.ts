import { describe, expect, it } from 'vitest'
import { UnionFind } from './union-find.ts'

describe('UnionFind', () => {
  it('joins chains and keeps separate sets apart', () => {
    const uf = new UnionFind(6)
    expect(uf.union(0, 1)).toBe(true)
    expect(uf.union(1, 2)).toBe(true)
    expect(uf.union(2, 0)).toBe(false)
    uf.union(4, 5)
    expect(uf.find(0)).toBe(uf.find(2))
    expect(uf.find(3)).not.toBe(uf.find(0))
    expect(uf.find(4)).toBe(uf.find(5))
    expect(uf.find(4)).not.toBe(uf.find(0))
  })

  it('matches a naive labelling on random graphs', () => {
    let seed = 7
    const rand = (m: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % m
    }
    for (let round = 0; round < 20; round++) {
      const n = 50
      const uf = new UnionFind(n)
      const label = Array.from({ length: n }, (_, i) => i)
      for (let e = 0; e < 40; e++) {
        const a = rand(n)
        const b = rand(n)
        uf.union(a, b)
        const [from, to] = [label[a], label[b]]
        for (let i = 0; i < n; i++) if (label[i] === from) label[i] = to
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(uf.find(i) === uf.find(j)).toBe(label[i] === label[j])
    }
  })
})
