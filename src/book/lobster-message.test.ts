import { describe, expect, it } from 'vitest'
import { formatLobsterBookRow, parseLobsterBook, parseLobsterBookRow } from './lobster-book-row.ts'
import {
  formatLobsterMessage,
  formatLobsterTime,
  parseLobsterMessage,
  parseLobsterMessages,
  parseLobsterTime,
} from './lobster-message.ts'

describe('LOBSTER time', () => {
  it('reads seconds after midnight to the nanosecond, rounding away digits past the ninth', () => {
    expect(parseLobsterTime('34200.18960767')).toBe(34_200_189_607_670)
    expect(parseLobsterTime('57059.4011')).toBe(57_059_401_100_000)
    expect(parseLobsterTime('43002.632812672004')).toBe(43_002_632_812_672)
    expect(parseLobsterTime('40329.336470060996')).toBe(40_329_336_470_061)
    expect(parseLobsterTime('34201')).toBe(34_201_000_000_000)
    expect(parseLobsterTime('3.4e4')).toBeUndefined()
    expect(parseLobsterTime('-1.5')).toBeUndefined()
  })

  it('writes it as LOBSTER does: the shortest text of seconds + fraction added as doubles', () => {
    expect(formatLobsterTime(34_200_189_607_670)).toBe('34200.18960767')
    expect(formatLobsterTime(43_002_632_812_672)).toBe('43002.632812672004')
    expect(formatLobsterTime(53_142_439_000_000)).toBe('53142.439')
    expect(formatLobsterTime(34_201_000_000_000)).toBe('34201')
  })

  it('reads back every time it writes, over the trading day', () => {
    for (let i = 0; i < 200_000; i++) {
      const ns = 34_200_000_000_000 + Math.floor(Math.random() * 23_400_000_000_000)
      expect(parseLobsterTime(formatLobsterTime(ns))).toBe(ns)
    }
  })
})

describe('LOBSTER message lines', () => {
  it('parses and formats a line', () => {
    const m = parseLobsterMessage('34200.190226476,4,11885113,21,2238100,1', 3)
    expect(m).toEqual({
      time: '34200.190226476',
      nsOfDay: 34_200_190_226_476,
      type: 4,
      orderId: 11885113,
      size: 21,
      price: 2238100,
      direction: 1,
    })
    expect(formatLobsterMessage(m as never)).toBe('34200.190226476,4,11885113,21,2238100,1')
  })

  it('lists malformed lines with their numbers instead of throwing', () => {
    const { messages, problems } = parseLobsterMessages(
      '34200.1,1,5,10,100,1\r\n34200.2,8,5,10,100,1\n34200.3,1,5,10,100\nx,1,1,1,1,1\n34200.4,1,5,1.5,100,1\n34200.5,1,5,1,100,0\n',
    )
    expect(messages).toHaveLength(1)
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6])
    expect(problems[0].reason).toMatch(/type 8/)
  })
})

describe('LOBSTER orderbook rows', () => {
  it('reads occupied levels only and writes the placeholders back', () => {
    const line = '2239500,100,2231800,100,9999999999,0,-9999999999,0'
    const row = parseLobsterBookRow(line)
    expect(row).toEqual({
      levels: 2,
      asks: [{ price: 2239500, size: 100 }],
      bids: [{ price: 2231800, size: 100 }],
    })
    expect(formatLobsterBookRow(row!, 2)).toBe(line)
    expect(parseLobsterBook('1,2,3\n1,1,1,1\n').badLines).toEqual([1])
  })
})
