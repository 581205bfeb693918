/**
 * Runs the codec pass of ingestion off the engine's thread: a worker decodes batch k+1 while the engine
 * validates and stores batch k, so both cores work. Falls back to decoding in this thread when workers
 * are switched off.
 */
import { Worker } from 'node:worker_threads'
import { type DecodeJob, decodeBatch } from './decode-batch.ts'
import type { StagedBatch } from './stage-batch.ts'

/** Decodes batches, in a worker thread or inline. */
export interface Decoder {
  decode(job: DecodeJob): Promise<StagedBatch>
  close(): Promise<void>
  /** The worker thread, when there is one. */
  readonly worker?: Worker
}

/** A decoder in this thread. */
export function inlineDecoder(): Decoder {
  return { decode: async (job) => decodeBatch(job), close: async () => {} }
}

let shared: Decoder | undefined
const WORKER_HEAP_MB = 384

/**
 * The process's decoding worker, started on first use and kept for every later file (starting one costs
 * more than decoding a small file). It does not keep the process alive.
 */
export function sharedWorkerDecoder(): Decoder {
  shared ??= workerDecoder()
  return shared
}

/** A decoder in a worker thread. */
export function workerDecoder(): Decoder {
  // A capped heap makes the worker collect garbage early instead of growing with every batch of rejects;
  // a batch is bounded in bytes, so it fits (a batch a worker still cannot hold is decoded here instead).
  const worker = new Worker(new URL('./decode-worker-boot.mjs', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  })
  const pending = new Map<number, { resolve: (b: StagedBatch) => void; reject: (e: Error) => void }>()
  let next = 0
  let broken: Error | undefined
  worker.on('message', (msg: { id: number; staged?: StagedBatch; error?: string }) => {
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.error) p.reject(new Error(`decoding worker: ${msg.error}`))
    else p.resolve(msg.staged!)
  })
  const fail = (e: Error) => {
    broken = e
    for (const p of pending.values()) p.reject(e)
    pending.clear()
  }
  worker.on('error', fail)
  worker.on('exit', (code) => {
    if (shared?.worker === worker) shared = undefined
    if (pending.size > 0) fail(new Error(`decoding worker exited with ${code}`))
  })
  // After the listeners: adding a 'message' listener refs the worker again.
  worker.unref()
  return {
    worker,
    decode(job) {
      // A worker that died (out of its heap, say) leaves the batch to this thread rather than fail the file.
      if (broken) return Promise.resolve(decodeBatch(job))
      const id = next++
      // Only an outstanding job keeps the process waiting for the worker.
      if (pending.size === 0) worker.ref()
      return new Promise<StagedBatch>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, job })
      })
        .catch(() => decodeBatch(job))
        .finally(() => {
          if (pending.size === 0) worker.unref()
        })
    },
    async close() {
      await worker.terminate()
    },
  }
}
