import { describe, expect, it } from 'vitest'
import { parseLobsterBook } from './lobster-book-row.ts'
import { importLobster } from './lobster-import.ts'
import { parseLobsterMessages } from './lobster-message.ts'
import { replayLobster } from './lobster-replay.ts'

const opts = { venue: 'NSDQ', symbol: 'X', date: 20120621 }
// A level-1 file: order 1 is pushed to level 2 by order 2, loses 40 shares there (a cancel the file omits),
// comes back into view when order 2 goes, and is executed; below it rests an order the file never names.
const messages = parseLobsterMessages(
  [
    '34200.1,1,1,100,1000000,1',
    '34200.2,1,2,50,1000100,1',
    '34200.3,3,2,50,1000100,1',
    '34200.4,4,1,60,1000000,1',
  ].join('\n'),
).messages
const rows = (last: string) =>
  parseLobsterBook(
    ['9999999999,0,1000000,100', '9999999999,0,1000100,50', '9999999999,0,1000000,60', last].join('\n'),
  ).rows

describe('replayLobster', () => {
  it('rebuilds every row, taking from the file only the levels that come into view', () => {
    const r = replayLobster(messages, importLobster(messages, opts), rows('9999999999,0,999900,30'))
    expect(r).toMatchObject({ rows: 4, mismatches: 0, topMatches: 4, corrections: [] })
    // 1000000 comes back with 60 of the book's 100 shares; 999900 comes into view with 30 unknown shares.
    expect(r.reconciled).toBe(2)
    expect(r.book.levelOrders('B', 99_990_000_00n).map((o) => o.leavesQty)).toEqual([30_000_000n])
    expect(Object.values(r.book.anomalies).every((n) => n === 0)).toBe(true)
  })

  it('reports a row that contradicts a level it had in view', () => {
    const r = replayLobster(
      messages,
      importLobster(messages, opts),
      parseLobsterBook(
        [
          '9999999999,0,1000000,100',
          '9999999999,0,1000100,40',
          '9999999999,0,1000000,60',
          '9999999999,0,999900,30',
        ].join('\n'),
      ).rows,
    )
    expect(r.mismatches).toBe(1)
    expect(r.firstMismatches[0]).toEqual({
      line: 2,
      side: 'B',
      expected: [{ price: 1000100, size: 40 }],
      got: [{ price: 1000100, size: 50 }],
    })
  })

  it('lists as a correction a message whose level change the book cannot reproduce', () => {
    // Order 1's delete says 60 shares where the book knows 100 (the level was in view all along).
    const m = parseLobsterMessages(
      ['34200.1,1,1,100,1000000,1', '34200.2,3,1,60,1000000,1'].join('\n'),
    ).messages
    const r = replayLobster(
      m,
      importLobster(m, opts),
      parseLobsterBook('9999999999,0,1000000,100\n9999999999,0,1000000,40').rows,
    )
    expect(r.corrections).toEqual([{ line: 2, type: 3, bookDelta: -100, fileDelta: -60 }])
    expect(r.mismatches).toBe(0)
  })
})
