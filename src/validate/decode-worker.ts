/** The decoding worker: decodes batches sent by the engine's thread and sends staged batches back. */
import { parentPort } from 'node:worker_threads'
import { type DecodeJob, decodeBatch } from './decode-batch.ts'

parentPort!.on('message', (msg: { id: number; job: DecodeJob }) => {
  try {
    parentPort!.postMessage({ id: msg.id, staged: decodeBatch(msg.job) })
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).stack ?? String(e) })
  }
})
