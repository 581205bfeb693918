/** Every CLI command, in the order `opencat --help` lists them. */
import type { Command } from '../command.ts'
import { catalogueCommand } from './catalogue.ts'

export const COMMANDS: readonly Command[] = [catalogueCommand]
