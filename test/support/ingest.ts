/** Runs the ingestion engine directly over records written by a test (no intake, no file names). */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOGUE_V4 } from '../../src/catalogue/index.ts'
import '../../src/pipeline/stage-views.ts'
import { literal } from '../../src/store/database.ts'
import type { Repository, RepositorySettings } from '../../src/store/repository.ts'
import { initRepository } from '../../src/store/repository.ts'
import { parquetReadOptions } from '../../src/store/store-cipher.ts'
import { type IngestOptions, type IngestResult, ingestFile } from '../../src/validate/ingest-file.ts'
import { writeReference } from './fixtures.ts'

/** A fresh repository over the fixture reference data (encrypted, unless the settings say otherwise). */
export async function fixtureRepository(settings: Partial<RepositorySettings> = {}): Promise<Repository> {
  const root = mkdtempSync(join(tmpdir(), 'opencat-test-'))
  return initRepository(join(root, 'repo'), writeReference(join(root, 'reference')), undefined, settings)
}

let nextFileId = 1000

/** What ingesting lines gave, with the rejected records as the work area holds them. */
export interface IngestedLines extends IngestResult {
  readonly rejects: { line: number; codes: number[] }[]
}

/** Ingests the given record lines as one uncompressed JSON file of `reporter`. */
export async function ingestLines(
  repo: Repository,
  lines: string[],
  options: {
    reporter?: string
    kind?: 'OrderEvents' | 'ExchangeEvents'
    fileId?: number
    /** Ingestion's tunables (batch size, worker). */
    ingest?: IngestOptions
  } = {},
): Promise<IngestedLines> {
  const fileId = options.fileId ?? nextFileId++
  const path = join(repo.paths.work, `input-${fileId}.json`)
  writeFileSync(path, `${lines.join('\n')}\n`)
  const result = await ingestFile(
    repo.db,
    repo.paths,
    repo.calendar,
    {
      fileId,
      path,
      compressed: false,
      format: 'json',
      kind: options.kind ?? 'OrderEvents',
      cat: CATALOGUE_V4,
      reporter: options.reporter ?? 'ALDR',
      submitter: options.reporter === 'NSDQ' ? '900001' : '104001',
      generationDate: 20260302,
      receivedNs: 1772470800000000000n,
      processingDate: 20260302,
      nowNs: 1772470800000000000n,
    },
    options.ingest,
  )
  const rejectsDir = join(repo.paths.work, `f${fileId}`, 'rejects')
  const rejects =
    result.rejected === 0
      ? []
      : (
          await repo.db.all<{ line: number; codes: number[] }>(
            `SELECT _line AS line, codes FROM read_parquet(${literal(join(rejectsDir, '*', '*.parquet'))}${parquetReadOptions(repo.db)}) ORDER BY _line`,
          )
        ).map((r) => ({ line: r.line, codes: r.codes.map(Number) }))
  return { ...result, rejects }
}

/** A record from a base object with some fields changed (undefined removes one). */
export function recordWith(base: Record<string, unknown>, set: Record<string, unknown>): string {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(set)) {
    if (v === undefined) delete out[k]
    else out[k] = v
  }
  return JSON.stringify(out)
}
