/**
 * The Reporter Portal's own limit (IM spec §6.1.4): a data file uploaded through the portal holds at most
 * 100,000 records, or it fails integrity with 1128 as soon as it is received; the metadata block naming it
 * later gets 1128 too. Records are counted as lines, reading no further than the first one past the limit,
 * so an oversized file costs little more than the limit to find out.
 */
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { catCode } from '../catalogue/index.ts'
import { bunzip2File } from '../common/bzip2.ts'
import type { Database } from '../store/database.ts'
import type { RepoPaths } from '../store/paths.ts'
import { type FeedbackRecord, fileFeedbackHead } from './feedback.ts'
import { type FileName, feedbackName } from './file-name.ts'
import { type FileRow, publishFeedback, updateFile } from './file-registry.ts'

/** Most records a data file uploaded through the portal may hold. */
export const WEB_UPLOAD_MAX_RECORDS = 100_000
/** The CAT code of a web upload with more records than that. */
export const WEB_UPLOAD_TOO_MANY = 1128

class Enough extends Error {}

/** Whether the stream holds more than `limit` records (lines, the last one unterminated or not). */
async function overLimit(stream: Readable, limit: number): Promise<boolean> {
  let lines = 0
  let pending = false
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
      if (++lines > limit) throw new Enough()
    }
    pending = chunk[chunk.length - 1] !== 10
  }
  return lines + (pending ? 1 : 0) > limit
}

/**
 * Whether the data file holds more than `limit` records; undefined when it cannot be read (a file that is
 * not bzip2 is left to ingestion, which says so with 2153).
 */
export async function moreRecordsThan(
  path: string,
  compressed: boolean,
  limit: number,
): Promise<boolean | undefined> {
  let over = false
  const count = async (stream: Readable) => {
    try {
      over = await overLimit(stream, limit)
    } catch (e) {
      if (!(e instanceof Enough)) throw e
      over = true
      // Stops the decompression: the rest of the file need not be read.
      throw e
    }
  }
  if (!compressed) {
    const stream = createReadStream(path)
    await count(stream).catch((e) => {
      if (!(e instanceof Enough)) throw e
    })
    stream.destroy()
    return over
  }
  try {
    const r = await bunzip2File(path, count)
    return r.ok ? over : undefined
  } catch (e) {
    if (e instanceof Enough) return true
    throw e
  }
}

/**
 * Checks a data file just received through the portal; past the limit, it gets its integrity feedback
 * (1128) and is rejected. Returns whether it was.
 */
export async function refuseOversizedUpload(
  db: Database,
  paths: RepoPaths,
  file: FileRow,
  name: FileName,
  nowNs: bigint,
): Promise<boolean> {
  const over = await moreRecordsThan(
    join(paths.inbox, file.inbox_path),
    name.compressed,
    WEB_UPLOAD_MAX_RECORDS,
  )
  if (!over) return false
  const code = WEB_UPLOAD_TOO_MANY
  const why = `a data file uploaded through the portal holds at most ${WEB_UPLOAD_MAX_RECORDS.toLocaleString('en-US')} records; send larger files by SFTP (opencat submit)`
  const fb: FeedbackRecord = {
    ...fileFeedbackHead(name, file),
    stage: 'FILE_INTEGRITY',
    completedNs: nowNs,
    status: 'Failure',
    severity: 'Error',
    code: [code],
    messages: [`${code}: ${catCode(code).title}. ${why}`],
  }
  await publishFeedback(db, paths, file.file_id, feedbackName(name, 'integrity'), fb, name.format)
  await updateFile(db, file.file_id, { status: 'rejected', note: `${code} ${why}` })
  return true
}
