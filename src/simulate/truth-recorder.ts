/**
 * The oracle: true lifecycles (events and the links the repository's linker must find), injected faults,
 * manipulations, news and customers, written as NDJSON while the day runs. A lifecycle is held in memory
 * only while one of its orders is open, then written and forgotten.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { BufferedOutput } from './buffered-output.ts'

/** A reported event as the truth names it: reporter, own record id, type and reported timestamp. */
export interface TruthEvent {
  /** IMID or Exchange ID. */
  readonly reporter: string
  /** firmROEID (recordID for exchange events). */
  readonly id: string
  readonly type: string
  /** eventTimestamp as reported, UTC ns. */
  readonly ts: bigint
}

/** Kinds of links the linker derives. */
export type LinkKind =
  | 'route'
  | 'accept'
  | 'cancel'
  | 'modify'
  | 'internalRoute'
  | 'child'
  | 'supplement'
  | 'execution'
  | 'fill'
  | 'report'
  | 'request'

interface Link {
  readonly from: TruthEvent
  readonly to: TruthEvent
  readonly kind: LinkKind
}

/** One order lifecycle: connected by every link kind except execution and fill. */
export class Lifecycle {
  readonly events: TruthEvent[] = []
  readonly links: Link[] = []
  /** Open orders and pending actions that may still add events. */
  holds = 0
  written = false
  /** Collects the lifecycle's events for an abuse scenario that watches it. */
  watch: TruthEvent[] | undefined

  constructor(
    readonly id: string,
    readonly symbol: string,
  ) {}
}

// Reporters, record ids, types and symbols the simulator makes are plain ASCII without quotes or
// backslashes, so they go into the JSON as they are (JSON.stringify per field costs more than the rest).
function ref(e: TruthEvent): string {
  return `{"reporter":"${e.reporter}","firmROEID":"${e.id}"}`
}

function lifecycleLine(lc: Lifecycle): string {
  let events = ''
  for (const e of lc.events) {
    events += `${events ? ',' : ''}{"reporter":"${e.reporter}","firmROEID":"${e.id}","type":"${e.type}","eventTimestamp":"${e.ts}"}`
  }
  let links = ''
  for (const l of lc.links)
    links += `${links ? ',' : ''}{"from":${ref(l.from)},"to":${ref(l.to)},"kind":"${l.kind}"}`
  return `{"id":"${lc.id}","symbol":"${lc.symbol}","events":[${events}],"links":[${links}]}\n`
}

/** Writes the truth files under DIR/truth/. */
export class TruthRecorder {
  private readonly open = new Map<string, Lifecycle>()
  private next = 0
  private outputs: Record<'lifecycles' | 'faults' | 'manipulations' | 'news' | 'customers', BufferedOutput>
  /** Lifecycles written so far. */
  lifecycleCount = 0

  private constructor(outputs: TruthRecorder['outputs']) {
    this.outputs = outputs
  }

  /** Opens the truth files in `dir`. */
  static async create(dir: string): Promise<TruthRecorder> {
    await mkdir(dir, { recursive: true })
    const file = (name: string) => BufferedOutput.file(join(dir, `${name}.ndjson`))
    return new TruthRecorder({
      lifecycles: file('lifecycles'),
      faults: file('faults'),
      manipulations: file('manipulations'),
      news: file('news'),
      customers: file('customers'),
    })
  }

  /** Starts a lifecycle, held once by its creator. */
  lifecycle(symbol: string): Lifecycle {
    const lc = new Lifecycle(`L${(++this.next).toString().padStart(9, '0')}`, symbol)
    lc.holds = 1
    this.open.set(lc.id, lc)
    return lc
  }

  /** Keeps a lifecycle open (an order or a pending action still belongs to it). */
  hold(lc: Lifecycle): void {
    if (lc.written) throw new Error(`truth: lifecycle ${lc.id} was already written`)
    lc.holds++
  }

  /** Lets go of a lifecycle; written when nothing holds it any more. */
  release(lc: Lifecycle): void {
    if (--lc.holds === 0) this.write(lc)
    else if (lc.holds < 0) throw new Error(`truth: lifecycle ${lc.id} released too often`)
  }

  private write(lc: Lifecycle): void {
    if (lc.written) return
    lc.written = true
    this.open.delete(lc.id)
    if (lc.events.length === 0) return
    this.lifecycleCount++
    this.outputs.lifecycles.write(lifecycleLine(lc))
  }

  /** Adds an event to a lifecycle. */
  event(lc: Lifecycle, e: TruthEvent): void {
    if (lc.written) throw new Error(`truth: event ${e.type} ${e.id} after lifecycle ${lc.id} was written`)
    lc.events.push(e)
    lc.watch?.push(e)
  }

  /** Adds a link (both ends belong to `lc`). */
  link(lc: Lifecycle, from: TruthEvent, to: TruthEvent, kind: LinkKind): void {
    if (lc.written) throw new Error(`truth: link to ${to.id} after lifecycle ${lc.id} was written`)
    lc.links.push({ from, to, kind })
  }

  /** Writes one line of faults.ndjson, manipulations.ndjson, news.ndjson or customers.ndjson. */
  line(file: 'faults' | 'manipulations' | 'news' | 'customers', value: unknown): void {
    this.outputs[file].write(
      `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
    )
  }

  /** A promise to await when truth files are backed up. */
  get blocked(): Promise<unknown> | undefined {
    const waits = Object.values(this.outputs)
      .map((o) => o.blocked)
      .filter((b) => b !== undefined)
    return waits.length > 0 ? Promise.all(waits) : undefined
  }

  /** Writes every lifecycle still open (orders alive at the end of the day), in creation order, and closes. */
  async finish(): Promise<void> {
    for (const lc of [...this.open.values()]) this.write(lc)
    await Promise.all(Object.values(this.outputs).map((o) => o.end()))
  }
}
