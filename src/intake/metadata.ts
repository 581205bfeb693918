/**
 * Metadata files (IM spec §6.1.3, Table 50) in JSON (one object, pretty-printing allowed) or CSV. Parsing
 * checks each field's form and reports CAT integrity codes; checks against file names, reference data and
 * received files happen in integrity.ts.
 */
import { RawNumber, scanJsonDocument } from '../codec/index.ts'
import { parseCatDate } from '../common/time/cat-date.ts'

/** One data file a metadata file lists. */
export interface MetadataBlock {
  readonly fileName: string
  readonly recordCount?: number
  readonly compressedHash?: string
  /** Codes found in the block itself (1111 record count, 1115 hash, 1110 name). */
  readonly codes: number[]
}

/** A parsed metadata file; `codes` are file-level problems found while parsing. */
export interface Metadata {
  readonly doneForDay?: boolean
  readonly fileGenerationDate?: number
  readonly reporter?: string
  readonly submitter?: string
  readonly fileVersion?: string
  readonly thirdParty?: string
  readonly files: MetadataBlock[]
  readonly codes: number[]
}

const HASH = /^[0-9A-Fa-f]{64}$/
const IMID = /^[A-Za-z0-9]{1,7}$/

/** Parses a metadata file's text. Returns `{ unreadable }` (1107) when it cannot be read at all. */
export function parseMetadata(text: string, format: 'json' | 'csv'): Metadata | { unreadable: string } {
  return format === 'json' ? parseJsonMetadata(text) : parseCsvMetadata(text)
}

function parseJsonMetadata(text: string): Metadata | { unreadable: string } {
  const scan = scanJsonDocument(text.replace(/^\uFEFF/, ''))
  if (!scan.ok) return { unreadable: `not valid JSON at offset ${scan.position}: ${scan.reason}` }
  const doc = scan.value
  if (!(doc instanceof Map)) return { unreadable: 'a metadata file holds one JSON object' }
  const codes: number[] = []
  const num = (v: unknown) => (v instanceof RawNumber && /^[0-9]+$/.test(v.text) ? v.text : undefined)
  if (doc.get('type') !== 'META') codes.push(1127)
  const done = doc.get('doneForDay')
  if (typeof done !== 'boolean') codes.push(1126)
  const dateText = num(doc.get('fileGenerationDate'))
  const date = dateText ? parseCatDate(dateText) : null
  if (date === null) codes.push(1106)
  const reporter = doc.get('reporter')
  if (typeof reporter !== 'string' || !IMID.test(reporter)) codes.push(1105)
  const submitter = num(doc.get('submitter'))
  if (!submitter) codes.push(1104)
  const version = doc.get('fileVersion')
  if (typeof version !== 'string' || !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(version)) codes.push(1116)
  const third = doc.get('thirdParty')
  const thirdParty = third === undefined ? undefined : num(third)
  if (third !== undefined && !thirdParty) codes.push(1123)
  const files: MetadataBlock[] = []
  const list = doc.get('files')
  if (!Array.isArray(list) || list.length === 0) codes.push(1110)
  else {
    for (const item of list) {
      if (!(item instanceof Map) || typeof item.get('fileName') !== 'string') {
        files.push({ fileName: '', codes: [1110] })
        continue
      }
      const blockCodes: number[] = []
      const countText = num(item.get('recordCount'))
      if (countText === undefined) blockCodes.push(1111)
      const hash = item.get('compressedHash')
      if (typeof hash !== 'string' || !HASH.test(hash)) blockCodes.push(1115)
      files.push({
        fileName: item.get('fileName') as string,
        ...(countText !== undefined ? { recordCount: Number(countText) } : {}),
        ...(typeof hash === 'string' && HASH.test(hash) ? { compressedHash: hash.toLowerCase() } : {}),
        codes: blockCodes,
      })
    }
  }
  return {
    ...(typeof done === 'boolean' ? { doneForDay: done } : {}),
    ...(date !== null ? { fileGenerationDate: date } : {}),
    ...(typeof reporter === 'string' && IMID.test(reporter) ? { reporter } : {}),
    ...(submitter ? { submitter } : {}),
    ...(typeof version === 'string' && !codes.includes(1116) ? { fileVersion: version } : {}),
    ...(thirdParty ? { thirdParty } : {}),
    files,
    codes,
  }
}

function parseCsvMetadata(text: string): Metadata | { unreadable: string } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '')
  if (lines.length !== 1) return { unreadable: 'a CSV metadata file holds exactly one record' }
  const cells = lines[0].split(',').map((c) => c.trim())
  if (cells.length < 7 || cells.length > 8)
    return { unreadable: `a CSV metadata record has 7 or 8 positions, not ${cells.length}` }
  const [type, done, dateText, reporter, submitter, version, filesText, third] = cells
  const codes: number[] = []
  if (type !== 'META') codes.push(1127)
  if (done !== 'true' && done !== 'false') codes.push(1126)
  const date = parseCatDate(dateText)
  if (date === null) codes.push(1106)
  if (!IMID.test(reporter)) codes.push(1105)
  if (!/^[0-9]+$/.test(submitter)) codes.push(1104)
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(version)) codes.push(1116)
  if (third && !/^[0-9]+$/.test(third)) codes.push(1123)
  const files: MetadataBlock[] = []
  if (!filesText) codes.push(1110)
  else {
    for (const part of filesText.split('|')) {
      const [fileName, count, _reserved, hash] = part.split('@')
      const blockCodes: number[] = []
      if (!/^[0-9]+$/.test(count ?? '')) blockCodes.push(1111)
      if (!HASH.test(hash ?? '')) blockCodes.push(1115)
      if (!fileName) blockCodes.push(1110)
      files.push({
        fileName: fileName ?? '',
        ...(/^[0-9]+$/.test(count ?? '') ? { recordCount: Number(count) } : {}),
        ...(HASH.test(hash ?? '') ? { compressedHash: hash.toLowerCase() } : {}),
        codes: blockCodes,
      })
    }
  }
  return {
    ...(done === 'true' || done === 'false' ? { doneForDay: done === 'true' } : {}),
    ...(date !== null ? { fileGenerationDate: date } : {}),
    ...(IMID.test(reporter) ? { reporter } : {}),
    ...(/^[0-9]+$/.test(submitter) ? { submitter } : {}),
    ...(/^[0-9]+\.[0-9]+\.[0-9]+$/.test(version) ? { fileVersion: version } : {}),
    ...(third && /^[0-9]+$/.test(third) ? { thirdParty: third } : {}),
    files,
    codes,
  }
}
