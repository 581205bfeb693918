/**
 * Reading SQL text without the engine: splitting a script into its statements, the name a statement
 * creating a temporary view, macro or table gives, and the names a statement mentions. Used to create a
 * connection's views when a statement first names them (deferred-objects.ts).
 */

/** The statements of a script, split at semicolons outside quotes and comments, each trimmed. */
export function splitStatements(script: string): string[] {
  const out: string[] = []
  let start = 0
  let i = 0
  const n = script.length
  while (i < n) {
    const c = script[i]
    if (c === "'" || c === '"') {
      const end = script.indexOf(c, i + 1)
      i = end < 0 ? n : end + 1
    } else if (c === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i)
      i = end < 0 ? n : end + 1
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 2
    } else if (c === ';') {
      out.push(script.slice(start, i))
      start = ++i
    } else i++
  }
  out.push(script.slice(start))
  return out.map((s) => s.trim()).filter((s) => withoutComments(s).trim() !== '')
}

/** The text with `--` comments removed (the statements this reads keep quotes out of their comments). */
export function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '')
}

const CREATES =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+(VIEW|MACRO|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_]\w*)\b/i

/** The lower-case name a `CREATE [OR REPLACE] TEMP VIEW|MACRO|TABLE name …` statement creates, if it is one. */
export function createdName(statement: string): string | undefined {
  return CREATES.exec(withoutComments(statement))?.[2].toLowerCase()
}

const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c)

/**
 * Which of `names` (lower case) the SQL mentions as a whole word, not as part of a path ('…/events/…').
 * A mention in a comment or a string counts too: that only creates an object a little early.
 */
export function mentionedNames(sql: string, names: Iterable<string>): string[] {
  const text = sql.toLowerCase()
  const found: string[] = []
  for (const name of names) {
    let at = text.indexOf(name)
    while (at >= 0) {
      const before = text[at - 1]
      const after = text[at + name.length]
      if (!isWordChar(before) && before !== '/' && !isWordChar(after) && after !== '/') {
        found.push(name)
        break
      }
      at = text.indexOf(name, at + 1)
    }
  }
  return found
}
