/**
 * The shape every CLI command has: a name, a one-line summary, its options (which feed --help and
 * parsing), and a run function. Commands stay thin: they parse, call a stage, and print.
 */
import type { Writable } from 'node:stream'

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly description: string
  readonly required?: boolean
  readonly multiple?: boolean
  readonly default?: string | boolean
  /** Placeholder shown in --help (e.g. DIR). */
  readonly value?: string
}

/** Where a command writes. */
export interface CommandIO {
  readonly stdout: Writable
  readonly stderr: Writable
}

/** Parsed arguments: option values by name, and positional arguments. */
export interface ParsedArgs {
  readonly options: Record<string, string | boolean | string[] | undefined>
  readonly positionals: string[]
}

/** A CLI command. `run` returns the process exit code. */
export interface Command {
  readonly name: string
  readonly summary: string
  /** Extra lines for --help after the option list. */
  readonly details?: string
  readonly usage: string
  readonly options: Readonly<Record<string, OptionSpec>>
  /** Accepts positional arguments (e.g. files). */
  readonly positionals?: boolean
  run(args: ParsedArgs, io: CommandIO): Promise<number>
}

/** The string value of an option (throws on a missing required one before run is called). */
export function str(args: ParsedArgs, name: string): string {
  return args.options[name] as string
}

/** An optional string option. */
export function optStr(args: ParsedArgs, name: string): string | undefined {
  return args.options[name] as string | undefined
}

/** A boolean flag. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true
}

/** Options every command has. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', description: 'Show this help' },
  json: { type: 'boolean', description: 'Print the result as JSON, for scripts' },
}
