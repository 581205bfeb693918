import { describe, expect, it } from 'vitest'
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree.ts'

const leaves = Array.from({ length: 21 }, (_, i) => leafHash(`file-${i}`))

describe('Merkle tree', () => {
  it('computes the RFC 6962 root of small trees by hand', () => {
    expect(rootHash(leaves.slice(0, 1))).toEqual(leaves[0])
    expect(rootHash(leaves.slice(0, 3))).toEqual(nodeHash(nodeHash(leaves[0], leaves[1]), leaves[2]))
  })

  it('proves the inclusion of every leaf in every tree size, and refuses a wrong leaf or index', () => {
    for (let n = 1; n <= leaves.length; n++) {
      const root = rootHash(leaves.slice(0, n))
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(leaves, i, n)
        expect(verifyInclusion(leaves[i], i, n, proof, root), `leaf ${i} of ${n}`).toBe(true)
        expect(verifyInclusion(leafHash('forged'), i, n, proof, root)).toBe(false)
        if (n > 1) expect(verifyInclusion(leaves[i], (i + 1) % n, n, proof, root)).toBe(false)
      }
    }
  })

  it('proves every earlier tree is a prefix of every later one, and catches a rewritten history', () => {
    for (let n = 1; n <= leaves.length; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(leaves, m, n)
        const rootM = rootHash(leaves.slice(0, m))
        const rootN = rootHash(leaves.slice(0, n))
        expect(verifyConsistency(m, n, rootM, rootN, proof), `${m} → ${n}`).toBe(true)
        const rewritten = [...leaves.slice(0, n)]
        rewritten[m - 1] = leafHash('rewritten')
        if (m < n) expect(verifyConsistency(m, n, rootM, rootHash(rewritten), proof)).toBe(false)
      }
    }
  })
})
