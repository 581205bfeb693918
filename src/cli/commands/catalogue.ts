/** `opencat catalogue`: lists event types, or one event's layout, from the catalogue. */
import { CATALOGUES, catalogueFor, DEFAULT_FILE_VERSION } from '../../catalogue/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { type Command, flag, optStr } from '../command.ts'

export const catalogueCommand: Command = {
  name: 'catalogue',
  summary: 'Show the event catalogue: event types, or the fields of one event',
  usage: 'catalogue [--event TYPE] [--file-version V] [--json]',
  options: {
    event: { type: 'string', value: 'TYPE', description: 'Show the layout of one event type (e.g. MENO)' },
    'file-version': {
      type: 'string',
      value: 'V',
      description: `Catalogue version (${CATALOGUES.map((c) => c.version).join(', ')})`,
      default: DEFAULT_FILE_VERSION,
    },
  },
  async run(args, io) {
    const version = optStr(args, 'file-version')!
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
      }))
      if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ type, title: event.title, fields })}\n`)
      else {
        io.stdout.write(`${type} ${event.title} (${event.family}, ${event.eventClass})\n${event.doc}\n\n`)
        for (const f of fields)
          io.stdout.write(
            `${String(f.position).padStart(3)}  ${f.name.padEnd(26)} ${f.include}  ${f.type.kind}\n`,
          )
      }
      return 0
    }
    const events = [...cat.events.values()].map((e) => ({
      type: e.type,
      title: e.title,
      family: e.family,
      fields: e.fields.length,
    }))
    if (flag(args, 'json')) io.stdout.write(`${JSON.stringify({ version: cat.version, events })}\n`)
    else
      for (const e of events)
        io.stdout.write(
          `${e.type.padEnd(6)} ${e.family.padEnd(9)} ${String(e.fields).padStart(3)} fields  ${e.title}\n`,
        )
    return 0
  },
}
