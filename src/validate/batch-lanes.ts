/**
 * Engine connections ("lanes") that validate and store a file's batches side by side. A batch of new
 * records is independent of the others (it writes its own files, and its rules read only the batch and the
 * reference data), so one runs on each lane at once; a batch whose rules read the store (corrections,
 * repairs, deletes) waits for every batch before it and runs alone on the first lane, as it would if
 * batches ran one at a time. Results are kept by batch number, so their order never depends on timing.
 */
import type { Database } from '../store/database.ts'

export class BatchLanes<R> {
  private readonly idle: Database[]
  private readonly running = new Set<Promise<void>>()
  private readonly results: R[] = []
  private failure: { error: unknown } | undefined

  constructor(private readonly lanes: readonly Database[]) {
    this.idle = [...lanes]
  }

  /** Waits until a lane is free, so at most one batch per lane is held in the engine. */
  async free(): Promise<void> {
    while (this.idle.length === 0) await Promise.race(this.running)
    this.check()
  }

  /**
   * Starts batch `n` on a free lane and returns once it is started; with `alone`, waits for every running
   * batch, then runs it on the first lane and returns once it is done.
   */
  async start(n: number, alone: boolean, work: (lane: Database) => Promise<R>): Promise<void> {
    if (alone) {
      await this.done()
      this.results[n] = await work(this.lanes[0])
      return
    }
    await this.free()
    const lane = this.idle.pop() as Database
    const task: Promise<void> = work(lane)
      .then(
        (r) => {
          this.results[n] = r
        },
        (error) => {
          this.failure ??= { error }
        },
      )
      .finally(() => {
        this.idle.push(lane)
        this.running.delete(task)
      })
    this.running.add(task)
  }

  /** Waits for every running batch; returns the results by batch number, or throws the first failure. */
  async done(): Promise<R[]> {
    await Promise.all(this.running)
    this.check()
    return this.results
  }

  /** Waits for every running batch, whatever their outcome (before the lanes are closed). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.running)
  }

  private check(): void {
    if (this.failure) throw this.failure.error
  }
}
