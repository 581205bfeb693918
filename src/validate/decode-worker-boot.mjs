// Starts the decoding worker: worker threads load TypeScript through tsx like the main thread does.
import { register } from 'tsx/esm/api'

register()
await import('./decode-worker.ts')
