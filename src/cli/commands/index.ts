/** Every CLI command, in the order `opencat --help` lists them. */
import type { Command } from '../command.ts'
import { auditCommand } from './audit.ts'
import { bluesheetCommand } from './bluesheet.ts'
import { bookCommand } from './book.ts'
import { browseCommand } from './browse.ts'
import { catalogueCommand } from './catalogue.ts'
import { customerCommand } from './customer.ts'
import { demoCommand } from './demo.ts'
import { exportCommand } from './export.ts'
import { extractCommand } from './extract.ts'
import { importCommand } from './import.ts'
import { initCommand } from './init.ts'
import { keysCommand } from './keys.ts'
import { lifecycleCommand } from './lifecycle.ts'
import { linkCommand } from './link.ts'
import { marketCommand } from './market.ts'
import { nbboCommand } from './nbbo.ts'
import { referenceCommand } from './reference.ts'
import { reindexCommand } from './reindex.ts'
import { replayCommand } from './replay.ts'
import { reportCardCommand } from './report-card.ts'
import { searchCommand } from './search.ts'
import { serveCommand } from './serve.ts'
import { simulateCommand } from './simulate.ts'
import { sqlCommand } from './sql.ts'
import { submitCommand } from './submit.ts'
import { surveilCommand } from './surveil.ts'
import { tokenCommand } from './token.ts'
import { userCommand } from './user.ts'
import { verifyReceiptCommand } from './verify-receipt.ts'

export const COMMANDS: readonly Command[] = [
  demoCommand,
  simulateCommand,
  initCommand,
  submitCommand,
  linkCommand,
  reindexCommand,
  searchCommand,
  browseCommand,
  lifecycleCommand,
  reportCardCommand,
  verifyReceiptCommand,
  auditCommand,
  sqlCommand,
  extractCommand,
  customerCommand,
  bluesheetCommand,
  surveilCommand,
  bookCommand,
  nbboCommand,
  replayCommand,
  marketCommand,
  importCommand,
  exportCommand,
  referenceCommand,
  keysCommand,
  userCommand,
  tokenCommand,
  serveCommand,
  catalogueCommand,
]
