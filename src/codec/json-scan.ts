/**
 * A JSON scanner for one record line that keeps numbers as the text they were written in (`JSON.parse`
 * would round 19-digit nanosecond timestamps and hide trailing zeros). Objects come back as Maps, so key
 * order is kept and a key such as `__proto__` is just a key.
 */

/** A JSON number, exactly as written. */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** A scanned JSON value. */
export type JsonValue = string | RawNumber | boolean | null | JsonValue[] | JsonObject
/** A scanned JSON object. */
export type JsonObject = Map<string, JsonValue>

/** The outcome of scanning a line: a top-level object, or where and why it is not valid JSON. */
export type ScanResult = { ok: true; object: JsonObject } | { ok: false; position: number; reason: string }

/** Token kinds of a record's top-level values. */
export const TOKEN = Object.freeze({ STRING: 1, NUMBER: 2, TRUE: 3, FALSE: 4, NULL: 5, OBJECT: 6, ARRAY: 7 })

/**
 * A record's top level, scanned into reusable parallel arrays (no allocation per value beyond the strings):
 * key, token kind, text (string contents, or a number's exact text) and, for objects and arrays, the value.
 */
export class RecordScan {
  count = 0
  readonly keys: string[] = []
  readonly kinds: number[] = []
  readonly texts: string[] = []
  readonly nested: JsonValue[] = []
  errorAt = -1
  error = ''
}

/** Scans one record line into `into`; returns false (with `errorAt`/`error` set) when it is not one JSON object. */
export function scanRecord(line: string, into: RecordScan): boolean {
  into.count = 0
  into.errorAt = -1
  const s = new Scanner(line)
  try {
    s.skipWs()
    if (s.peek() !== 123) throw new ScanError(s.i, 'a record must be a JSON object')
    s.topLevel(into)
    s.skipWs()
    if (s.i !== line.length) throw new ScanError(s.i, 'text after the end of the object')
    return true
  } catch (e) {
    if (!(e instanceof ScanError)) throw e
    into.errorAt = e.position
    into.error = e.reason
    return false
  }
}

class ScanError {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {}
}

const MAX_DEPTH = 8

/** Scans a line that must hold exactly one JSON object. Never throws. */
export function scanJsonObject(line: string): ScanResult {
  const s = new Scanner(line)
  try {
    s.skipWs()
    if (s.peek() !== 123) return { ok: false, position: s.i, reason: 'a record must be a JSON object' }
    const object = s.object(0)
    s.skipWs()
    if (s.i !== line.length) return { ok: false, position: s.i, reason: 'text after the end of the object' }
    return { ok: true, object }
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, position: e.position, reason: e.reason }
    throw e
  }
}

/** Scans a whole JSON document of any shape (metadata files may be pretty-printed). */
export function scanJsonDocument(
  text: string,
): { ok: true; value: JsonValue } | { ok: false; position: number; reason: string } {
  const s = new Scanner(text)
  try {
    s.skipWs()
    const value = s.value(0)
    s.skipWs()
    if (s.i !== text.length) return { ok: false, position: s.i, reason: 'text after the end of the document' }
    return { ok: true, value }
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, position: e.position, reason: e.reason }
    throw e
  }
}

class Scanner {
  i = 0
  constructor(readonly s: string) {}

  peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1
  }

  fail(reason: string): never {
    throw new ScanError(this.i, reason)
  }

  skipWs(): void {
    const s = this.s
    let i = this.i
    while (i < s.length) {
      const c = s.charCodeAt(i)
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
      i++
    }
    this.i = i
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply')
    const c = this.peek()
    switch (c) {
      case 34:
        return this.string()
      case 123:
        return this.object(depth + 1)
      case 91:
        return this.array(depth + 1)
      case 116:
        return this.literal('true', true)
      case 102:
        return this.literal('false', false)
      case 110:
        return this.literal('null', null)
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number()
        return this.fail(
          c === -1 ? 'unexpected end of line' : `unexpected character ${JSON.stringify(this.s[this.i])}`,
        )
    }
  }

  literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`expected ${word}`)
    this.i += word.length
    return v
  }

  topLevel(into: RecordScan): void {
    this.i++ // {
    this.skipWs()
    if (this.peek() === 125) {
      this.i++
      return
    }
    const s = this.s
    for (;;) {
      this.skipWs()
      if (this.peek() !== 34) this.fail('expected a quoted key')
      const key = this.string()
      this.skipWs()
      if (this.peek() !== 58) this.fail('expected ":"')
      this.i++
      this.skipWs()
      const n = into.count++
      into.keys[n] = key
      const c = s.charCodeAt(this.i)
      if (c === 34) {
        into.kinds[n] = TOKEN.STRING
        into.texts[n] = this.string()
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        const start = this.i
        this.skipNumber()
        into.kinds[n] = TOKEN.NUMBER
        into.texts[n] = s.slice(start, this.i)
      } else if (c === 116) {
        into.kinds[n] = TOKEN.TRUE
        this.literal('true', true)
      } else if (c === 102) {
        into.kinds[n] = TOKEN.FALSE
        this.literal('false', false)
      } else if (c === 110) {
        into.kinds[n] = TOKEN.NULL
        this.literal('null', null)
      } else {
        const v = this.value(1)
        into.kinds[n] = Array.isArray(v) ? TOKEN.ARRAY : TOKEN.OBJECT
        into.nested[n] = v
      }
      this.skipWs()
      const d = this.peek()
      if (d === 44) {
        this.i++
        continue
      }
      if (d === 125) {
        this.i++
        return
      }
      this.fail('expected "," or "}"')
    }
  }

  object(depth: number): JsonObject {
    const out: JsonObject = new Map()
    this.i++ // {
    this.skipWs()
    if (this.peek() === 125) {
      this.i++
      return out
    }
    for (;;) {
      this.skipWs()
      if (this.peek() !== 34) this.fail('expected a quoted key')
      const keyAt = this.i
      const key = this.string()
      if (out.has(key)) throw new ScanError(keyAt, `key ${JSON.stringify(key)} appears twice`)
      this.skipWs()
      if (this.peek() !== 58) this.fail('expected ":"')
      this.i++
      this.skipWs()
      out.set(key, this.value(depth))
      this.skipWs()
      const c = this.peek()
      if (c === 44) {
        this.i++
        continue
      }
      if (c === 125) {
        this.i++
        return out
      }
      this.fail('expected "," or "}"')
    }
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = []
    this.i++ // [
    this.skipWs()
    if (this.peek() === 93) {
      this.i++
      return out
    }
    for (;;) {
      this.skipWs()
      out.push(this.value(depth))
      this.skipWs()
      const c = this.peek()
      if (c === 44) {
        this.i++
        continue
      }
      if (c === 93) {
        this.i++
        return out
      }
      this.fail('expected "," or "]"')
    }
  }

  string(): string {
    const s = this.s
    const start = ++this.i
    let i = start
    for (;;) {
      if (i >= s.length) {
        this.i = i
        this.fail('unterminated string')
      }
      const c = s.charCodeAt(i)
      if (c === 34) {
        this.i = i + 1
        return s.slice(start, i)
      }
      if (c === 92) return this.escapedString(start)
      if (c < 32) {
        this.i = i
        this.fail('control character in string')
      }
      i++
    }
  }

  escapedString(start: number): string {
    const s = this.s
    let out = ''
    let i = start
    let chunk = start
    for (;;) {
      if (i >= s.length) {
        this.i = i
        this.fail('unterminated string')
      }
      const c = s.charCodeAt(i)
      if (c === 34) {
        this.i = i + 1
        return out + s.slice(chunk, i)
      }
      if (c < 32) {
        this.i = i
        this.fail('control character in string')
      }
      if (c !== 92) {
        i++
        continue
      }
      out += s.slice(chunk, i)
      const e = s.charCodeAt(i + 1)
      switch (e) {
        case 34:
          out += '"'
          break
        case 92:
          out += '\\'
          break
        case 47:
          out += '/'
          break
        case 98:
          out += '\b'
          break
        case 102:
          out += '\f'
          break
        case 110:
          out += '\n'
          break
        case 114:
          out += '\r'
          break
        case 116:
          out += '\t'
          break
        case 117: {
          const hex = s.slice(i + 2, i + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.i = i
            this.fail('bad \\u escape')
          }
          out += String.fromCharCode(Number.parseInt(hex, 16))
          i += 4
          break
        }
        default:
          this.i = i
          this.fail('bad escape')
      }
      i += 2
      chunk = i
    }
  }

  number(): RawNumber {
    const start = this.i
    this.skipNumber()
    return new RawNumber(this.s.slice(start, this.i))
  }

  skipNumber(): void {
    const s = this.s
    let i = this.i
    if (s.charCodeAt(i) === 45) i++
    const intStart = i
    while (i < s.length && isDigit(s.charCodeAt(i))) i++
    if (i === intStart) this.fail('bad number')
    if (i - intStart > 1 && s.charCodeAt(intStart) === 48) {
      this.i = intStart
      this.fail('number with a leading zero')
    }
    if (s.charCodeAt(i) === 46) {
      i++
      const f = i
      while (i < s.length && isDigit(s.charCodeAt(i))) i++
      if (i === f) {
        this.i = i
        this.fail('number ends with a decimal point')
      }
    }
    const e = s.charCodeAt(i)
    if (e === 101 || e === 69) {
      i++
      const sign = s.charCodeAt(i)
      if (sign === 43 || sign === 45) i++
      const f = i
      while (i < s.length && isDigit(s.charCodeAt(i))) i++
      if (i === f) {
        this.i = i
        this.fail('bad exponent')
      }
    }
    this.i = i
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
