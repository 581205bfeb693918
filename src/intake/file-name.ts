/**
 * CAT file names (IM spec §6.1.1): data files, metadata files, file deletes, and OpenCAT's exchange and
 * customer file kinds. A name that does not parse gets a `.ack.error` and nothing else.
 */

/** What a file name says. */
export interface FileName {
  readonly name: string
  readonly role: 'data' | 'meta'
  readonly submitterId: string
  readonly reporter: string
  readonly generationDate: number
  readonly group?: string
  readonly kind: FileKind
  readonly fileNumber: number
  readonly isDelete: boolean
  readonly format: 'json' | 'csv'
  /** Data files: bzip2-compressed (`.bz2`), or sent uncompressed. */
  readonly compressed: boolean
  /** The name without format and compression extensions (metadata: also without `.meta`); unique forever. */
  readonly baseName: string
}

/** The file kinds OpenCAT receives. */
export type FileKind = 'OrderEvents' | 'ExchangeEvents' | 'CAISData' | 'CAISTID'
export const FILE_KINDS: readonly FileKind[] = ['OrderEvents', 'ExchangeEvents', 'CAISData', 'CAISTID']

// A Submitter ID names the submitter's feedback folder, which takes at most 12 digits.
const STEM =
  /^([0-9]{1,12})_([A-Za-z0-9]{1,7})_([0-9]{8})_(?:([A-Za-z0-9]{1,20})_)?([A-Za-z0-9]{1,20})_([0-9]{6})$/

/** Parses a file name; returns the reason when it is not a valid CAT file name. */
export function parseFileName(name: string): FileName | { error: string } {
  let rest = name
  let compressed = false
  if (rest.endsWith('.bz2')) {
    compressed = true
    rest = rest.slice(0, -4)
  }
  const fmt = /\.(json|csv)$/.exec(rest)
  if (!fmt) return { error: 'the name must end in .json or .csv (data files: .json.bz2 or .csv.bz2)' }
  const format = fmt[1] as 'json' | 'csv'
  rest = rest.slice(0, -fmt[0].length)
  let isDelete = false
  let role: 'data' | 'meta' = 'data'
  if (rest.endsWith('.DEL')) {
    isDelete = true
    rest = rest.slice(0, -4)
  }
  if (rest.endsWith('.meta')) {
    role = 'meta'
    rest = rest.slice(0, -5)
  }
  if (role === 'meta' && compressed) return { error: 'metadata files are not compressed' }
  const m = STEM.exec(rest)
  if (!m) {
    return {
      error:
        'the name must be <SubmitterID>_<ReporterIMID>_<YYYYMMDD>_[<Group>_]<FileKind>_<NNNNNN>[.meta][.DEL].<json|csv>[.bz2]',
    }
  }
  const [, submitterId, reporter, date, group, kind, number] = m
  if (!FILE_KINDS.includes(kind as FileKind))
    return { error: `unknown file kind ${kind}; expected ${FILE_KINDS.join(', ')}` }
  const baseName = `${rest}${isDelete ? '.DEL' : ''}`
  return {
    name,
    role,
    submitterId,
    reporter,
    generationDate: Number(date),
    ...(group ? { group } : {}),
    kind: kind as FileKind,
    fileNumber: Number(number),
    isDelete,
    format,
    compressed: role === 'data' ? compressed : false,
    baseName,
  }
}

/** The name of a feedback file for a submitted file: `<base>[.meta][.DEL].<stage>.<fmt>`. */
export function feedbackName(file: FileName, stage: 'ack' | 'integrity' | 'ingestion'): string {
  const stem = file.isDelete ? file.baseName.slice(0, -4) : file.baseName
  return `${stem}${file.role === 'meta' ? '.meta' : ''}${file.isDelete ? '.DEL' : ''}.${stage}.${file.format}`
}

/** The name of the ingestion error data file of a data file. */
export function ingestionErrorName(file: FileName): string {
  return `${file.baseName}.ingestion.error.${file.format}.bz2`
}

/**
 * The CAT code of a name whose part at fault has one: the Submitter ID (1104), the reporter IMID (1105) or
 * the file generation date (1106, also for a date no calendar has, which the name's form alone allows).
 * Other faults (extension, kind, number) have none.
 */
export function fileNameCode(name: string): number | undefined {
  const parsed = parseFileName(name)
  const [submitter, imid, date] = name.replace(/\..*$/, '').split('_')
  if ('error' in parsed) {
    if (!/^[0-9]{1,12}$/.test(submitter ?? '')) return 1104
    if (!/^[A-Za-z0-9]{1,7}$/.test(imid ?? '')) return 1105
  }
  const d = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(date ?? '')
  if (!d) return 'error' in parsed ? 1106 : undefined
  const day = new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])))
  if (day.getUTCMonth() !== Number(d[2]) - 1 || day.getUTCDate() !== Number(d[3])) return 1106
  return undefined
}
