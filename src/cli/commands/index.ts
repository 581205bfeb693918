/** Every CLI command, in the order `opencat --help` lists them. */
import type { Command } from '../command.ts'
import { bluesheetCommand } from './bluesheet.ts'
import { catalogueCommand } from './catalogue.ts'
import { customerCommand } from './customer.ts'
import { demoCommand } from './demo.ts'
import { keysCommand } from './keys.ts'
import { initCommand } from './init.ts'
import { reportCardCommand } from './report-card.ts'
import { serveCommand } from './serve.ts'
import { submitCommand } from './submit.ts'
import { verifyReceiptCommand } from './verify-receipt.ts'

export const COMMANDS: readonly Command[] = [
  demoCommand,
  initCommand,
  submitCommand,
  reportCardCommand,
  verifyReceiptCommand,
  customerCommand,
  bluesheetCommand,
  keysCommand,
  serveCommand,
  catalogueCommand,
]
