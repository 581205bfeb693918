/** `opencat submit`: sends files into a repository through acknowledgement, integrity and ingestion. */

import { OpenCatError } from '../../common/errors.ts'
import { progressBar } from '../../common/progress.ts'
import { isoOrCatToNs } from '../../common/time/parse-instant.ts'
import { tallyFiles } from '../../pipeline/file-tally.ts'
import { submitFiles } from '../../pipeline/submit.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const submitCommand: Command = {
  name: 'submit',
  summary: SUMMARIES.submit,
  usage:
    'submit --repo DIR [--submitter ID] [--web-upload] [--at TIME] [--no-link] [--json] FILE_OR_FOLDER...',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    submitter: {
      type: 'string',
      value: 'ID',
      description: 'CAT Submitter ID the files come from; metadata naming another submitter gets 1109',
    },
    'web-upload': {
      type: 'boolean',
      description:
        'The files came through the Reporter Portal (the portal passes this): a data file of more than 100,000 records gets 1128',
    },
    at: {
      type: 'string',
      value: 'TIME',
      description: 'Repository clock for this run (YYYY-MM-DDTHH:MM:SS ET, or a CAT timestamp); default now',
    },
    'no-link': {
      type: 'boolean',
      description:
        'Do not link event dates that became due (doneForDay metadata, or past the T+1 08:00 deadline)',
    },
  },
  details:
    'Data files may be bzip2-compressed (.json.bz2/.csv.bz2) or, for convenience, plain (.json/.csv): plain files\n' +
    'are accepted and the summary says so; their compressedHash is the SHA-256 of the file as sent.\n' +
    'Errors in the data are feedback (feedback/<submitter>/ in the repository), not failures: the exit status\n' +
    'is 0 when every file got its feedback.\n' +
    'Only regular files are taken in: a symbolic link, pipe or device is refused in its acknowledgement and never\n' +
    'followed or read, and folders are walked without entering linked folders. A file the inbox cannot hold\n' +
    '(disk full, read-only) is refused on its own; any other write the disk refuses stops the run with\n' +
    'OCAT_ERR_REPO_STORAGE (exit status 1), and running the same command again resumes it.\n' +
    'Event dates whose records are complete (a metadata file said doneForDay) or whose T+1 08:00 deadline has\n' +
    'passed are linked at the end of the run, incrementally when the date was linked before, and then surveilled\n' +
    "(opencat surveil, with the parameters and news of the date's latest surveillance run): alerts a late or\n" +
    'corrected record changes become a new run, the earlier runs stay.\n' +
    'Once an event date is past its T+3 08:00 deadline, its order events are checked for FDIDs no customer\n' +
    'file reported (90050, sent back in <submitter>_<IMID>_<date>_OrderEvents.fdid.error.<fmt>.bz2).',
  async run(args, io) {
    const files = args.positionals
    if (files.length === 0)
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'name at least one file or folder to submit')
    const json = flag(args, 'json')
    const at = optStr(args, 'at')
    const repo = await openRepository(str(args, 'repo'), {
      write: true,
      onWait: (m) => io.stderr.write(`${m}\n`),
    })
    try {
      const summary = await submitFiles(repo, files, {
        ...(optStr(args, 'submitter') ? { submitter: optStr(args, 'submitter')! } : {}),
        ...(at ? { nowNs: isoOrCatToNs(at) } : {}),
        link: !flag(args, 'no-link'),
        surveil: !flag(args, 'no-link'),
        checkFdids: true,
        webUpload: flag(args, 'web-upload'),
        ...(json
          ? {}
          : {
              progress: progressBar('ingesting', undefined, 'records'),
              onFile: (l: string) => io.stderr.write(`  ${l}\n`),
            }),
      })
      if (json) {
        io.stdout.write(`${JSON.stringify(summary)}\n`)
        return 0
      }
      const rejectedFiles = summary.files.filter((f) => f.status === 'rejected')
      const retries = summary.files.filter((f) => f.retry).length
      io.stdout.write(
        `${summary.files.length} files: ${tallyFiles(summary.files)
          .map((t) => `${t.count} ${t.what}`)
          .join(', ')}${retries > 0 ? ` (${retries} of them already received before)` : ''}\n` +
          `${summary.records.toLocaleString('en-US')} records: ${summary.accepted.toLocaleString('en-US')} accepted, ${summary.rejected.toLocaleString('en-US')} rejected, ${summary.late.toLocaleString('en-US')} late\n`,
      )
      for (const f of rejectedFiles)
        io.stdout.write(`  rejected ${f.name}: ${[f.codes.join(', '), f.note].filter(Boolean).join(' ')}\n`)
      const codes = Object.entries(summary.errorsByCode).sort((a, b) => b[1] - a[1])
      if (codes.length > 0)
        io.stdout.write(`errors by code: ${codes.map(([c, n]) => `${c}×${n}`).join(' ')}\n`)
      if (summary.uncompressed.length > 0) {
        io.stdout.write(
          `note: ${summary.uncompressed.length} data file(s) arrived uncompressed and were accepted as they are\n`,
        )
      }
      for (const c of summary.fdidChecks) {
        io.stdout.write(
          `checked FDIDs of ${c.eventDate}: ${c.events.toLocaleString('en-US')} events name an unknown FDID (90050)\n`,
        )
      }
      for (const l of summary.linkage) {
        io.stdout.write(
          `linked ${l.eventDate} (${l.trigger}): ${l.lifecycles.toLocaleString('en-US')} lifecycles, ${Object.values(
            l.errorsByCode,
          )
            .reduce((a, b) => a + b, 0)
            .toLocaleString('en-US')} linkage errors\n`,
        )
      }
      for (const r of summary.surveillance)
        io.stdout.write(
          `surveilled ${r.date}: ${r.alerts} alert${r.alerts === 1 ? '' : 's'}, ${r.written ? `stored as run ${r.run}` : `unchanged since run ${r.run}`}\n`,
        )
      io.stdout.write(
        `feedback: ${repo.paths.root}/feedback/<submitter>/ · ${summary.seconds.toFixed(1)} s\n`,
      )
      return 0
    } finally {
      repo.close()
    }
  },
}
