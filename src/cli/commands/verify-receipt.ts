/** `opencat verify-receipt`: checks a file receipt (or the whole log) against the repository. */
import { readFileSync } from 'node:fs'
import { OpenCatError } from '../../common/errors.ts'
import { type Check, type Receipt, verifyLog, verifyReceipt } from '../../intake/file-log.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, str } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

function readReceipt(path: string): Receipt {
  let doc: Record<string, unknown>
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new OpenCatError(
      'OCAT_ERR_RECEIPT_INVALID',
      `${path} is not a JSON receipt or acknowledgement: ${(e as Error).message}`,
    )
  }
  // An acknowledgement feedback file carries the receipt inside it.
  const receipt = (doc.receipt ?? doc) as Receipt
  if (typeof receipt.leafIndex !== 'number' || !receipt.treeHead || !Array.isArray(receipt.inclusionProof)) {
    throw new OpenCatError(
      'OCAT_ERR_RECEIPT_INVALID',
      `${path} holds no receipt (fileName, leafIndex, treeHead, inclusionProof)`,
    )
  }
  return receipt
}

export const verifyReceiptCommand: Command = {
  name: 'verify-receipt',
  summary: SUMMARIES['verify-receipt'],
  usage: 'verify-receipt --repo DIR (RECEIPT_OR_ACK_FILE | --log) [--json]',
  positionals: true,
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    log: { type: 'boolean', description: 'Check every signed tree head: the log was only ever appended to' },
  },
  details:
    'Exit status 0 when every check passes, 1 when any fails. An acknowledgement file (*.ack.json) holds a receipt.\n' +
    'Signatures are checked with the signing key in the key folder (DIR-keys beside the repository, or the\n' +
    'folder recorded at init), never with a key inside the repository; the file the repository stores must\n' +
    'still hash to what the receipt (with --log: every leaf) says.',
  async run(args, io) {
    const repo = await openRepository(str(args, 'repo'))
    try {
      let checks: Check[]
      let subject: string
      if (flag(args, 'log')) {
        checks = await verifyLog(repo)
        subject = 'file log'
      } else {
        if (args.positionals.length !== 1)
          throw new OpenCatError(
            'OCAT_ERR_CLI_USAGE',
            'name one receipt or acknowledgement file, or use --log',
          )
        const receipt = readReceipt(args.positionals[0])
        checks = await verifyReceipt(repo, receipt)
        subject = receipt.fileName
      }
      const ok = checks.every((c) => c.ok)
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ subject, ok, checks })}\n`)
      else {
        io.stdout.write(`${subject}\n`)
        for (const c of checks)
          io.stdout.write(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.check}${c.detail ? ` (${c.detail})` : ''}\n`)
        io.stdout.write(ok ? 'verified\n' : 'NOT verified\n')
      }
      return ok ? 0 : 1
    } finally {
      repo.close()
    }
  },
}
