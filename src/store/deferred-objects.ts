/**
 * A connection's temporary views, macros and tables kept as statements and created when a statement
 * first names them. The engine binds a view's whole query when it is created, which for the store's and
 * the later stages' views (dozens, each over the Parquet store) took most of a command's start-up; a
 * command names a few of them, and the submit pipeline refreshes them after every stage.
 */
import { createdName, mentionedNames, splitStatements } from './sql-statements.ts'

/** Definitions deferred together: a stage's views, made by its provider. */
interface DeferredGroup {
  readonly label: string
  readonly names: readonly string[]
  /** Defers the group's statements. */
  readonly define: () => Promise<void>
  running?: Promise<void>
}

export class DeferredObjects {
  /** Name → the statement creating it, for objects not (re)created since they were deferred. */
  private readonly pending = new Map<string, string>()
  /** Objects created inside the open transaction: a rollback takes them away again. */
  private createdInTransaction: [string, string][] | undefined
  /** Creations run one after another, so two queries never create the same object at once. */
  private queue: Promise<void> = Promise.resolve()
  /** Name → the group of deferred definitions (a stage's views) whose statements are not made yet. */
  private readonly groups = new Map<string, DeferredGroup>()
  /** The names a group's definitions defer, while they run. */
  private recording: string[] | undefined

  constructor(private readonly execute: (sql: string) => Promise<void>) {}

  /**
   * Keeps every statement of `script` that creates a temporary view, macro or table, replacing an earlier
   * one of the same name; resolves to the other statements, in order, for the caller to run.
   */
  defer(script: string): string[] {
    const others: string[] = []
    for (const statement of splitStatements(script)) {
      const name = createdName(statement)
      if (name) {
        this.pending.set(name, statement)
        this.recording?.push(name)
      } else others.push(statement)
    }
    return others
  }

  /**
   * Keeps `define` (which defers the statements of the objects `names`) until a statement names one of
   * them: its own work (finding the files its views read) is then done only by connections that use them.
   * Earlier definitions of those names are dropped.
   */
  deferGroup(label: string, names: readonly string[], define: () => Promise<void>): void {
    const group: DeferredGroup = { label, names, define }
    for (const name of names) {
      this.pending.delete(name)
      this.groups.set(name, group)
    }
  }

  /** Creates the deferred objects `sql` names, and those they name in turn, before it runs. */
  async before(sql: string): Promise<void> {
    if (this.groups.size > 0) await this.defineGroupsNamed(sql, new Set())
    if (this.pending.size === 0) return
    const names = mentionedNames(sql, this.pending.keys())
    if (names.length === 0) return
    const job = this.queue.then(async () => {
      for (const name of names) await this.create(name, new Set())
    })
    this.queue = job.catch(() => undefined)
    await job
  }

  /** Defines the groups `sql` names, and those named by the deferred statements it needs. */
  private async defineGroupsNamed(sql: string, seen: Set<string>): Promise<void> {
    for (const name of mentionedNames(sql, this.groups.keys())) await this.defineGroup(name)
    for (const name of mentionedNames(sql, this.pending.keys())) {
      if (seen.has(name) || this.groups.size === 0) continue
      seen.add(name)
      await this.defineGroupsNamed(this.pending.get(name) ?? '', seen)
    }
  }

  /** Runs the definitions of the group `name` belongs to (once, however many statements wait for it). */
  private async defineGroup(name: string): Promise<void> {
    const group = this.groups.get(name)
    if (!group) return
    group.running ??= (async () => {
      const defined: string[] = []
      this.recording = defined
      try {
        await group.define()
      } finally {
        this.recording = undefined
      }
      const undeclared = defined.filter((n) => !n.startsWith('_') && !group.names.includes(n))
      if (undeclared.length > 0) {
        throw new Error(`the ${group.label} views define ${undeclared.join(', ')}, not among their names`)
      }
      for (const n of group.names) if (this.groups.get(n) === group) this.groups.delete(n)
    })().finally(() => {
      group.running = undefined
    })
    await group.running
  }

  private async create(name: string, path: Set<string>): Promise<void> {
    const statement = this.pending.get(name)
    if (statement === undefined || path.has(name)) return
    path.add(name)
    for (const dependency of mentionedNames(statement, this.pending.keys())) {
      if (dependency !== name) await this.create(dependency, path)
    }
    // Still pending until it exists: a failure surfaces again at the next statement naming it.
    await this.execute(statement)
    this.pending.delete(name)
    this.createdInTransaction?.push([name, statement])
  }

  /** A transaction began. */
  begin(): void {
    this.createdInTransaction = []
  }

  /** The transaction ended: committed, or rolled back (its creations are pending again). */
  end(committed: boolean): void {
    if (!committed) {
      for (const [name, statement] of this.createdInTransaction ?? []) {
        if (!this.pending.has(name)) this.pending.set(name, statement)
      }
    }
    this.createdInTransaction = undefined
  }
}
