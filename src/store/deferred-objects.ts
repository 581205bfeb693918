/**
 * A connection's temporary views, macros and tables kept as statements and created when a statement
 * first names them. The engine binds a view's whole query when it is created, which for the store's and
 * the later stages' views (dozens, each over the Parquet store) took most of a command's start-up; a
 * command names a few of them, and the submit pipeline refreshes them after every stage.
 */
import { createdName, mentionedNames, splitStatements } from './sql-statements.ts'

export class DeferredObjects {
  /** Name → the statement creating it, for objects not (re)created since they were deferred. */
  private readonly pending = new Map<string, string>()
  /** Objects created inside the open transaction: a rollback takes them away again. */
  private createdInTransaction: [string, string][] | undefined
  /** Creations run one after another, so two queries never create the same object at once. */
  private queue: Promise<void> = Promise.resolve()

  constructor(private readonly execute: (sql: string) => Promise<void>) {}

  /**
   * Keeps every statement of `script` that creates a temporary view, macro or table, replacing an earlier
   * one of the same name; resolves to the other statements, in order, for the caller to run.
   */
  defer(script: string): string[] {
    const others: string[] = []
    for (const statement of splitStatements(script)) {
      const name = createdName(statement)
      if (name) this.pending.set(name, statement)
      else others.push(statement)
    }
    return others
  }

  /** Creates the deferred objects `sql` names, and those they name in turn, before it runs. */
  async before(sql: string): Promise<void> {
    if (this.pending.size === 0) return
    const names = mentionedNames(sql, this.pending.keys())
    if (names.length === 0) return
    const job = this.queue.then(async () => {
      for (const name of names) await this.create(name, new Set())
    })
    this.queue = job.catch(() => undefined)
    await job
  }

  /** Creates every deferred object (for a connection whose users may list them). */
  async all(): Promise<void> {
    await this.before([...this.pending.keys()].join(' '))
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
