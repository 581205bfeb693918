/** `opencat catalogue`: lists event types, or one event's layout, from the catalogue. */
import { CATALOGUES, type Catalogue, catalogueFor, DEFAULT_FILE_VERSION } from '../../catalogue/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { type Command, flag, optStr } from '../command.ts'
import { SUMMARIES } from './summaries.ts'

export const catalogueCommand: Command = {
  name: 'catalogue',
  summary: SUMMARIES.catalogue,
  usage: 'catalogue [--event TYPE] [--file-version V|all] [--json]',
  options: {
    event: { type: 'string', value: 'TYPE', description: 'Show the layout of one event type (e.g. MENO)' },
    'file-version': {
      type: 'string',
      value: 'V',
      description: `Catalogue version (${CATALOGUES.map((c) => c.version).join(', ')}), or all to list the event types of every version`,
      default: DEFAULT_FILE_VERSION,
    },
  },
  async run(args, io) {
    const version = optStr(args, 'file-version')!
    if (version === 'all' && !optStr(args, 'event')) {
      const versions = CATALOGUES.map((c) => ({ version: c.version, events: listOf(c) }))
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ versions })}\n`)
      else
        for (const v of versions) {
          io.stdout.write(`file version ${v.version}: ${v.events.length} event types\n`)
          for (const e of v.events) io.stdout.write(`  ${line(e)}\n`)
        }
      return 0
    }
    const cat = catalogueFor(version)
    if (!cat) throw new OpenCatError('OCAT_ERR_CLI_USAGE', `no catalogue for file version ${version}`)
    const type = optStr(args, 'event')
    if (type) {
      const event = cat.events.get(type)
      if (!event)
        throw new OpenCatError('OCAT_ERR_NOT_FOUND', `no event type ${type} in file version ${cat.version}`)
      const fields = event.fields.map((f) => ({
        position: f.position,
        name: f.name,
        include: f.include,
        type: f.spec.type,
        ...(f.elements
          ? {
              elements: f.elements.map((e) => ({
                position: e.position,
                name: e.name,
                include: e.include,
                type: e.spec.type,
              })),
            }
          : {}),
      }))
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ type, title: event.title, fields })}\n`)
      else {
        io.stdout.write(`${type} ${event.title} (${event.family}, ${event.eventClass})\n${event.doc}\n\n`)
        for (const f of fields) {
          io.stdout.write(
            `${String(f.position).padStart(3)}  ${f.name.padEnd(26)} ${f.include}  ${f.type.kind}\n`,
          )
          for (const e of f.elements ?? [])
            io.stdout.write(`     ${`.${e.position} ${e.name}`.padEnd(26)} ${e.include}  ${e.type.kind}\n`)
        }
      }
      return 0
    }
    const events = listOf(cat)
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ version: cat.version, events })}\n`)
    else for (const e of events) io.stdout.write(`${line(e)}\n`)
    return 0
  },
}

interface Listed {
  readonly type: string
  readonly title: string
  readonly family: string
  readonly fields: number
}

function listOf(cat: Catalogue): Listed[] {
  return [...cat.events.values()].map((e) => ({
    type: e.type,
    title: e.title,
    family: e.family,
    fields: e.fields.length,
  }))
}

function line(e: Listed): string {
  return `${e.type.padEnd(6)} ${e.family.padEnd(9)} ${String(e.fields).padStart(3)} fields  ${e.title}`
}
