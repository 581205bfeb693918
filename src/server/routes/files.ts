/**
 * A reporter's files over the API: POST /api/files uploads one data or metadata file (the body, as
 * application/octet-stream) into the repository through the intake of `opencat submit`; GET /api/files lists
 * a submitter's files with their status; GET /api/receipts gives a file's signed receipt against the file
 * log's latest signed head, as `opencat verify-receipt` checks it. Reporters act only for the submitters
 * they are granted; the file name is checked as intake checks it before a byte is stored.
 */
import { OpenCatError } from '../../common/errors.ts'
import { receiptFor } from '../../intake/file-log.ts'
import { fileNameCode, parseFileName } from '../../intake/file-name.ts'
import { type FileRow, findFiles } from '../../intake/file-registry.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, nullable, object, params } from '../schemas.ts'
import { type SubmittedFile, takeUpload } from '../upload.ts'

const SUBMITTER = { type: 'string', pattern: '^[0-9]{1,12}$', description: 'Submitter ID' }
const NAME = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'A CAT file name (IM spec 6.1.1): <SubmitterID>_<IMID>_<YYYYMMDD>_[<Group>_]<Kind>_<NNNNNN>…',
}
const bySubmitter = (q: URLSearchParams) => ({ submitter: q.get('submitter') ?? '' })

/** A file's outcome in the intake run that took it (as opencat submit --json gives it). */
const OUTCOME = object(
  {
    fileId: { type: 'integer' },
    name: { type: 'string' },
    role: { type: 'string' },
    kind: nullable({ type: 'string' }),
    status: { type: 'string' },
    codes: arrayOf({ type: 'integer' }),
    records: { type: 'integer' },
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    retry: { type: 'boolean' },
    note: { type: 'string' },
  },
  ['fileId', 'name', 'role', 'kind', 'status', 'codes'],
)

/** A file as the registry has it. */
const FILE = object(
  {
    fileId: { type: 'integer' },
    name: { type: 'string' },
    role: { type: 'string' },
    kind: nullable({ type: 'string' }),
    status: { type: 'string', enum: ['received', 'processed', 'paired', 'ingested', 'rejected', 'held'] },
    bytes: { type: 'integer' },
    sha256: { type: 'string' },
    receivedNs: { type: 'string' },
    records: nullable({ type: 'integer' }),
    accepted: nullable({ type: 'integer' }),
    rejected: nullable({ type: 'integer' }),
    note: nullable({ type: 'string' }),
  },
  ['fileId', 'name', 'role', 'status', 'bytes', 'sha256', 'receivedNs'],
)

/**
 * A name intake would take, or the 400 it gets: no path, no control characters, and a CAT file name
 * naming the submitter the caller uploads as.
 */
function checkedName(name: string, submitter: string) {
  if (/[/\\\0-\x1f\x7f]/.test(name) || name === '.' || name === '..')
    throw new OpenCatError('OCAT_ERR_FILE_NAME', `${JSON.stringify(name)} is not a file name: no paths`, {
      reason: 'a path, not a name',
    })
  const parsed = parseFileName(name)
  const catCode = fileNameCode(name)
  if ('error' in parsed || catCode !== undefined) {
    const reason = 'error' in parsed ? parsed.error : 'the file generation date is not a date'
    throw new OpenCatError('OCAT_ERR_FILE_NAME', `${name}: ${reason}`, {
      reason,
      ...(catCode !== undefined ? { catCode } : {}),
    })
  }
  if (parsed.submitterId !== submitter)
    throw new OpenCatError(
      'OCAT_ERR_FILE_NAME',
      `${name} names submitter ${parsed.submitterId}, not ${submitter} the upload comes from`,
      { reason: 'another submitter', catCode: 1104 },
    )
  return parsed
}

export const uploadFileRoute: Route = {
  method: 'POST',
  path: '/api/files',
  summary:
    "Upload one data or metadata file (body: its bytes) into intake as opencat submit takes it; answers the file's outcome",
  access: allowed('submit', bySubmitter),
  repository: false,
  upload: true,
  querystring: params({ submitter: SUBMITTER, name: NAME }, ['submitter', 'name']),
  response: object({
    bytes: { type: 'integer' },
    file: OUTCOME,
    run: object({
      files: arrayOf(OUTCOME),
      linked: arrayOf({ type: 'integer' }),
      surveilled: arrayOf({ type: 'integer' }),
    }),
  }),
  async handle({ query, paths, upload, limits }) {
    const submitter = query.get('submitter')!
    const name = query.get('name')!
    checkedName(name, submitter)
    const declared = Number(upload.headers['content-length'])
    const { bytes, summary } = await takeUpload(paths.root, submitter, name, upload.body, {
      limit: limits.uploadBytes,
      ...(Number.isFinite(declared) ? { declared } : {}),
    })
    const outcome = (f: SubmittedFile) => ({
      fileId: f.fileId,
      name: f.name,
      role: f.role,
      kind: f.kind,
      status: f.status,
      codes: f.codes,
      ...(f.records !== undefined ? { records: f.records, accepted: f.accepted, rejected: f.rejected } : {}),
      ...(f.retry ? { retry: true } : {}),
      ...(f.note ? { note: f.note } : {}),
    })
    const own = summary.files.filter((f) => f.name === name).at(-1)
    if (!own) throw new Error(`submit took ${name} in but does not name it`)
    return {
      bytes,
      file: outcome(own),
      run: {
        files: summary.files.map(outcome),
        linked: summary.linkage.map((l) => l.eventDate),
        surveilled: summary.surveillance.map((r) => r.date),
      },
    }
  },
}

function fileAnswer(r: FileRow) {
  return {
    fileId: r.file_id,
    name: r.name,
    role: r.role,
    kind: r.kind,
    status: r.status,
    bytes: r.size_bytes,
    sha256: r.sha256,
    receivedNs: r.received_ns,
    records: r.records === null ? null : Number(r.records),
    accepted: r.accepted === null ? null : Number(r.accepted),
    rejected: r.rejected === null ? null : Number(r.rejected),
    note: r.note,
  }
}

export const listFilesRoute: Route = {
  method: 'GET',
  path: '/api/files',
  summary: "A submitter's files with their status (reporters: their own submitters)",
  access: allowed('submit', bySubmitter),
  querystring: params({ submitter: SUBMITTER }, ['submitter']),
  response: object({ submitter: { type: 'string' }, files: arrayOf(FILE) }),
  async handle({ query, repo }) {
    const submitter = query.get('submitter')!
    const rows = await findFiles(repo.db, 'CAST(submitter_id AS VARCHAR) = $1', [submitter])
    return { submitter, files: rows.map(fileAnswer) }
  },
}

export const receiptRoute: Route = {
  method: 'GET',
  path: '/api/receipts',
  summary: "A file's signed receipt, as its acknowledgement carries it (reporters: their own submitters)",
  access: allowed('submit', bySubmitter),
  querystring: params({ submitter: SUBMITTER, file: NAME }, ['submitter', 'file']),
  response: {
    type: 'object',
    description: 'The receipt: what opencat verify-receipt checks',
    properties: {
      version: { type: 'integer' },
      fileName: { type: 'string' },
      sha256: { type: 'string' },
      leafIndex: { type: 'integer' },
      leaf: { type: 'string' },
      treeHead: { type: 'object' },
      inclusionProof: arrayOf({ type: 'string' }),
      publicKey: { type: 'string' },
    },
    required: ['version', 'fileName', 'sha256', 'leafIndex', 'treeHead', 'inclusionProof', 'publicKey'],
  },
  async handle({ query, repo }) {
    const submitter = query.get('submitter')!
    const file = query.get('file')!
    const rows = await findFiles(repo.db, 'CAST(submitter_id AS VARCHAR) = $1 AND name = $2', [
      submitter,
      file,
    ])
    // The latest acknowledgement of the name: a retry of the same bytes is the same file.
    const row = rows.filter((r) => r.inbox_path !== null).at(-1)
    const receipt = row ? await receiptFor(repo.db, repo.signingKey(), row.file_id) : undefined
    if (!receipt)
      throw new OpenCatError(
        'OCAT_ERR_NOT_FOUND',
        `submitter ${submitter} has no acknowledged file ${file} (a file refused at acknowledgement has no receipt)`,
      )
    return receipt
  },
}
