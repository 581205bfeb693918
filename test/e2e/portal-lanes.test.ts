/**
 * The portal's connection pool over a real repository, with requests that hold their connection for set
 * times: a route whose recent requests were mostly slow waits in the slow lane, slow requests hold at most
 * half the connections, quick requests pass the waiting slow ones, and a question answered before is quick
 * once (its answer is kept) and then goes by its own latest time rather than its route's, and an account's
 * waiting requests go shortest expected first.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connectionPool } from '../../src/server/connection-pool.ts'
import { initRepository } from '../../src/store/repository.ts'
import { writeReference } from '../support/fixtures.ts'

const SLOW_MS = 200
/** Well past SLOW_MS, and a quick hold well under it however loaded the machine. */
const LONG = 500
const SHORT = 5

let repoDir: string
let pool: ReturnType<typeof connectionPool> | undefined

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opencat-lanes-'))
  repoDir = join(dir, 'repo')
  const repo = await initRepository(repoDir, writeReference(join(dir, 'reference')))
  repo.close()
})

afterEach(async () => {
  await pool?.closeNow()
  pool = undefined
})

function twoConnections() {
  pool = connectionPool(repoDir, {
    connections: 2,
    perAccount: 2,
    queuePerAccount: 100,
    keepOpenMs: 1000,
    slowMs: SLOW_MS,
  })
  return pool
}

/** One request: waits its turn, notes when it started and ended, holds its connection `ms`. */
async function request(
  p: ReturnType<typeof connectionPool>,
  log: string[],
  name: string,
  account: string,
  route: string,
  ms: number,
  question?: string,
): Promise<void> {
  const repo = await p.acquire(account, route, question)
  log.push(`start ${name}`)
  // The connection is a real one: the request reads through it.
  await repo.db.all('SELECT 1')
  await sleep(ms)
  log.push(`end ${name}`)
  p.release(account, repo)
}

/** Requests of `route` one after the other, so the pool learns how long it takes. */
async function train(p: ReturnType<typeof connectionPool>, route: string, ms: number, question?: string) {
  for (let i = 0; i < 8; i++) await request(p, [], `${route}${i}`, 'trainer', route, ms, question)
}

describe('connection pool lanes', () => {
  it('lets quick requests pass slow ones, and gives slow ones at most half the connections', async () => {
    const p = twoConnections()
    await train(p, '/slow', LONG)
    await train(p, '/quick', SHORT)
    const log: string[] = []
    const slow = [1, 2, 3, 4].map((i) => request(p, log, `slow${i}`, 'a', '/slow', LONG))
    const quick = [1, 2, 3].map((i) => request(p, log, `quick${i}`, 'b', '/quick', SHORT))
    await Promise.all([...slow, ...quick])
    // Every quick request ran before the second slow one started, though all four slow ones asked first.
    for (const i of [1, 2, 3]) expect(log.indexOf(`end quick${i}`)).toBeLessThan(log.indexOf('start slow2'))
    // One slow request at a time: each starts after the one before it ended.
    for (const i of [2, 3, 4])
      expect(log.indexOf(`start slow${i}`)).toBeGreaterThan(log.indexOf(`end slow${i - 1}`))
  }, 60_000)

  it('puts a question answered once in the quick lane, then by its latest time; a new one in its route’s', async () => {
    const p = twoConnections()
    // Each symbol's first book is slow (its day is read and kept), so the route is slow.
    for (let i = 0; i < 8; i++)
      await request(p, [], `first${i}`, 'trainer', '/api/book', LONG, `S${i}@20260302`)
    // S7 asked again is slow again: its day was not kept.
    await request(p, [], 'again', 'trainer', '/api/book', LONG, 'S7@20260302')
    // Answered from memory, a repeated question does not make the route quick.
    for (let i = 0; i < 8; i++)
      await request(p, [], `repeat${i}`, 'trainer', '/api/book', SHORT, 'S0@20260302')
    await train(p, '/slow', LONG)
    const log: string[] = []
    const slow = [1, 2, 3].map((i) => request(p, log, `slow${i}`, 'a', '/slow', LONG))
    const known = request(p, log, 'known', 'b', '/api/book', SHORT, 'S1@20260302')
    const unkept = request(p, log, 'unkept', 'b', '/api/book', LONG, 'S7@20260302')
    const fresh = request(p, log, 'fresh', 'b', '/api/book', LONG, 'NEW@20260302')
    await Promise.all([...slow, known, unkept, fresh])
    // The question answered once is quick: it runs beside the first slow request.
    expect(log.indexOf('end known')).toBeLessThan(log.indexOf('end slow1'))
    // The new one and the one slow when asked again wait in the slow lane, in turn with the other
    // account's slow requests.
    for (const name of ['unkept', 'fresh'])
      expect(log.indexOf(`start ${name}`)).toBeGreaterThan(log.indexOf('end slow1'))
    expect(log.indexOf('start unkept')).toBeLessThan(log.indexOf('start slow3'))
  }, 90_000)

  it('moves requests of a question waiting in the slow lane to the quick one once it is answered', async () => {
    const p = twoConnections()
    for (let i = 0; i < 8; i++)
      await request(p, [], `first${i}`, 'trainer', '/api/book', LONG, `S${i}@20260302`)
    await train(p, '/slow', LONG)
    const log: string[] = []
    const slow = [1, 2, 3].map((i) => request(p, log, `slow${i}`, 'a', '/slow', LONG))
    // Three requests of a new symbol at once: the first reads its day, the others find it in memory.
    const same = [LONG, SHORT, SHORT].map((ms, i) =>
      request(p, log, `same${i}`, 'b', '/api/book', ms, 'NEW@20260302'),
    )
    await Promise.all([...slow, ...same])
    expect(log.indexOf('start same0')).toBeGreaterThan(log.indexOf('end slow1'))
    // Once the first is answered the other two are quick: they do not wait for the third slow request.
    for (const name of ['same1', 'same2']) {
      expect(log.indexOf(`start ${name}`)).toBeGreaterThan(log.indexOf('end same0'))
      expect(log.indexOf(`end ${name}`)).toBeLessThan(log.indexOf('end slow3'))
    }
  }, 90_000)

  it("serves an account's waiting requests shortest expected first, within a lane", async () => {
    pool = connectionPool(repoDir, {
      connections: 2,
      perAccount: 1,
      queuePerAccount: 100,
      keepOpenMs: 1000,
      slowMs: SLOW_MS,
    })
    const p = pool
    // Both routes are quick (under SLOW_MS); one takes ten times the other.
    const MIDDLE = 50
    await train(p, '/middle', MIDDLE)
    await train(p, '/quick', SHORT)
    const log: string[] = []
    const middle = [1, 2, 3].map((i) => request(p, log, `middle${i}`, 'a', '/middle', MIDDLE))
    const quick = [1, 2, 3].map((i) => request(p, log, `quick${i}`, 'a', '/quick', SHORT))
    await Promise.all([...middle, ...quick])
    // The first request had a free connection; every quick one then went before the other middle ones,
    // though they asked later.
    expect(log[0]).toBe('start middle1')
    for (const i of [1, 2, 3]) expect(log.indexOf(`end quick${i}`)).toBeLessThan(log.indexOf('start middle2'))
    // Equals keep their order.
    expect(log.indexOf('start middle2')).toBeLessThan(log.indexOf('start middle3'))
  }, 60_000)
})
