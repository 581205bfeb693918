/**
 * An append-only Merkle tree in the manner of Certificate Transparency (RFC 6962 / RFC 9162): leaf and node
 * hashes with domain separation, inclusion proofs (a file is in the log) and consistency proofs (a later
 * log extends an earlier one without changing it).
 */
import { createHash } from 'node:crypto'

const EMPTY = createHash('sha256').digest()

/** Hash of a leaf: SHA-256(0x00 || data). */
export function leafHash(data: Buffer | string): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(data)
    .digest()
}

/** Hash of an inner node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest()
}

function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** The Merkle tree hash of leaf hashes [from, to). */
export function rootHash(leaves: readonly Buffer[], from = 0, to = leaves.length): Buffer {
  const n = to - from
  if (n === 0) return EMPTY
  if (n === 1) return leaves[from]
  const k = split(n)
  return nodeHash(rootHash(leaves, from, from + k), rootHash(leaves, from + k, to))
}

/** The audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(leaves: readonly Buffer[], index: number, size = leaves.length): Buffer[] {
  const path = (m: number, from: number, to: number): Buffer[] => {
    const n = to - from
    if (n <= 1) return []
    const k = split(n)
    return m < k
      ? [...path(m, from, from + k), rootHash(leaves, from + k, to)]
      : [...path(m - k, from + k, to), rootHash(leaves, from, from + k)]
  }
  return path(index, 0, size)
}

/** Checks that `leaf` sits at `index` of a tree of `size` leaves with root `root`. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (index >= size) return false
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && r.equals(root)
}

/** Proof that the tree of the first `m` leaves is a prefix of the tree of the first `n`. */
export function consistencyProof(leaves: readonly Buffer[], m: number, n = leaves.length): Buffer[] {
  const sub = (m: number, from: number, to: number, whole: boolean): Buffer[] => {
    const size = to - from
    if (m === size) return whole ? [] : [rootHash(leaves, from, to)]
    const k = split(size)
    return m <= k
      ? [...sub(m, from, from + k, whole), rootHash(leaves, from + k, to)]
      : [...sub(m - k, from + k, to, false), rootHash(leaves, from, from + k)]
  }
  if (m === 0 || m > n) return []
  return sub(m, 0, n, true)
}

/** Checks a consistency proof between roots of sizes m ≤ n. */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Buffer,
  rootN: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (m > n) return false
  if (m === n) return proof.length === 0 && rootM.equals(rootN)
  if (m === 0) return proof.length === 0
  if (proof.length === 0) return false
  const path = (m & (m - 1)) === 0 ? [rootM, ...proof] : [...proof]
  let fn = m - 1
  let sn = n - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr = path[0]
  let sr = path[0]
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return fr.equals(rootM) && sr.equals(rootN) && sn === 0
}
