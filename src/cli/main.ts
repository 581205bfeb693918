/**
 * `opencat`: parses the command line, dispatches to one command, and turns OpenCAT failures into a
 * clear message (or JSON with --json) and a non-zero exit status.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { OpenCatError } from '../common/errors.ts'
import { COMMON_OPTIONS, type Command, type CommandIO, type ParsedArgs } from './command.ts'
import { SUMMARIES } from './commands/summaries.ts'

function helpText(cmd: Command): string {
  const options = { ...cmd.options, ...COMMON_OPTIONS }
  const rows = Object.entries(options).map(([name, o]) => {
    const left = `  --${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`
    const extra = [o.required ? 'required' : '', o.default !== undefined ? `default ${o.default}` : '']
      .filter(Boolean)
      .join(', ')
    return `${left.padEnd(30)} ${o.description}${extra ? ` (${extra})` : ''}`
  })
  return `${cmd.summary}\n\nUsage: opencat ${cmd.usage}\n\nOptions:\n${rows.join('\n')}\n${cmd.details ? `\n${cmd.details}\n` : ''}`
}

function overview(): string {
  const rows = Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(16)} ${summary}`)
  return `OpenCAT: a consolidated audit trail repository for CAT order events.\n\nUsage: opencat <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`opencat <command> --help\` for a command's options.\n\nEnvironment:\n  OPENCAT_MEMORY_LIMIT  the engine's memory limit for every command (e.g. 4GB, 512MiB); beyond it the engine\n                        spills to the repository's spill folder (default: 80 % of the machine's memory)\n`
}

/**
 * The command called `name`, loading only its own module (commands/<name>.ts, which the compiled command
 * holds as a chunk of its own): a command starts without compiling or running the code of the others.
 */
async function commandNamed(name: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z-]*$/.test(name) || name === 'index') return undefined
  if (!existsSync(fileURLToPath(new URL(`./commands/${name}.ts`, import.meta.url)))) return undefined
  const module: Record<string, unknown> = await import(`./commands/${name}.ts`)
  return Object.values(module).find((v): v is Command => (v as Command | undefined)?.name === name)
}

/** Runs the CLI with the given arguments; resolves to the exit status. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview())
    return name ? 0 : 2
  }
  const cmd = await commandNamed(name)
  const json = rest.includes('--json')
  try {
    if (!cmd)
      throw new OpenCatError('OCAT_ERR_CLI_UNKNOWN_COMMAND', `unknown command "${name}"; try opencat --help`)
    const options = { ...cmd.options, ...COMMON_OPTIONS }
    let parsed: ReturnType<typeof parseArgs>
    try {
      parsed = parseArgs({
        args: rest,
        options: Object.fromEntries(
          Object.entries(options).map(([k, o]) => [k, { type: o.type, multiple: o.multiple ?? false }]),
        ),
        allowPositionals: cmd.positionals ?? false,
        strict: true,
      })
    } catch (e) {
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${(e as Error).message}\n\n${helpText(cmd)}`)
    }
    if (parsed.values.help) {
      io.stdout.write(helpText(cmd))
      return 0
    }
    const values: Record<string, string | boolean | string[] | undefined> = { ...parsed.values } as never
    for (const [k, o] of Object.entries(options)) {
      if (values[k] === undefined && o.default !== undefined) values[k] = o.default
      if (o.required && values[k] === undefined) {
        throw new OpenCatError('OCAT_ERR_CLI_USAGE', `--${k} is required\n\n${helpText(cmd)}`)
      }
    }
    const args: ParsedArgs = { options: values, positionals: parsed.positionals }
    // What a run needs and help does not: the later stages' views and day index parts, for the repositories
    // the command opens, and the access log.
    await import('../pipeline/stage-views.ts')
    const { logCommandRun } = await import('./access-logged.ts')
    let status: number
    try {
      status = await cmd.run(args, io)
    } catch (e) {
      const usage = e instanceof OpenCatError && e.code === 'OCAT_ERR_CLI_USAGE'
      logCommandRun(cmd.name, args, { status: usage ? 2 : 1, failure: e })
      throw e
    }
    logCommandRun(cmd.name, args, { status })
    return status
  } catch (caught) {
    const e = engineMemoryError(caught) ?? caught
    if (e instanceof OpenCatError) {
      if (json) io.stdout.write(`${JSON.stringify(e.toJSON())}\n`)
      else io.stderr.write(`opencat: ${e.message}\n`)
      return e.code === 'OCAT_ERR_CLI_USAGE' || e.code === 'OCAT_ERR_CLI_UNKNOWN_COMMAND' ? 2 : 1
    }
    throw e
  }
}

/**
 * The engine's out-of-memory failure as the command's error (a statement that fails this way is rolled
 * back by the engine; the stage it belongs to resumes on the next run).
 */
function engineMemoryError(e: unknown): OpenCatError | undefined {
  const message = e instanceof Error ? e.message : ''
  if (!/^Out of Memory Error/.test(message)) return undefined
  const limit = process.env.OPENCAT_MEMORY_LIMIT?.trim()
  return new OpenCatError(
    'OCAT_ERR_ENGINE_MEMORY',
    `the engine ran out of memory (${message.split('\n')[0].replace(/^Out of Memory Error:\s*/, '')}) with its limit ${limit ? `at OPENCAT_MEMORY_LIMIT=${limit}` : 'at its default'}: raise it and run the command again`,
  )
}

if (process.argv[1] && /opencat(\.js)?$|main\.ts$/.test(process.argv[1])) {
  // Everything a command creates — the repository, its key folder, the engine's files, feedback — is
  // private to the owner (files 0600, folders 0700), whatever the shell's umask.
  process.umask(0o077)
  // A closed pipe (`opencat ... | head`) ends output quietly, as other Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
    throw e
  })
  const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
  process.exitCode = code
}
