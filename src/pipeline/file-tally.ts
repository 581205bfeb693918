/**
 * What became of every file of a submission run, in groups whose counts add up to the files received:
 * a newcomer reading "50 received, 30 ingested" should not have to guess what the other 20 were.
 */
import type { FileOutcome } from './submit.ts'

/** One group of files and how many there were. */
export interface FileTallyRow {
  /** What the files are and what became of them, e.g. "metadata files checked". */
  readonly what: string
  readonly count: number
}

const isCustomerKind = (kind: string | null) => kind?.startsWith('CAIS') === true

// Every status a file can end a run in (intake/file-registry.ts), worded for the reader; an unforeseen
// one still gets its own row so the rows keep adding up.
function groupOf(f: FileOutcome): string {
  if (f.status === 'rejected') return 'rejected'
  if (f.role === 'meta')
    return f.status === 'processed' ? 'metadata files checked' : `metadata files ${f.status}`
  const customer = isCustomerKind(f.kind)
  switch (f.status) {
    case 'ingested':
      return customer ? 'customer files ingested' : 'event data files ingested'
    case 'held':
      return 'customer files waiting for their pair'
    case 'received':
      return 'data files waiting for their metadata (1101)'
    case 'paired':
      return 'data files paired, not yet ingested'
    default:
      return `${customer ? 'customer' : f.role} files ${f.status}`
  }
}

const ORDER = [
  'event data files ingested',
  'customer files ingested',
  'metadata files checked',
  'rejected',
  'data files waiting for their metadata (1101)',
  'customer files waiting for their pair',
  'data files paired, not yet ingested',
]

/** Groups the files of a run; the counts sum to `files.length`. Groups with no file are left out. */
export function tallyFiles(files: readonly FileOutcome[]): FileTallyRow[] {
  const counts = new Map<string, number>()
  for (const f of files) {
    const g = groupOf(f)
    counts.set(g, (counts.get(g) ?? 0) + 1)
  }
  const rank = (what: string) => {
    const i = ORDER.indexOf(what)
    return i < 0 ? ORDER.length : i
  }
  return [...counts]
    .map(([what, count]) => ({ what, count }))
    .sort((a, b) => rank(a.what) - rank(b.what) || a.what.localeCompare(b.what))
}
