/**
 * One writer of the access log, run as its own process by the access-log tests: appends N entries as
 * fast as it can, as a busy portal would. Usage: run-ts.js access-appender.ts REPO_DIR WRITER N
 */
import { resolve } from 'node:path'
import { logAccess } from '../../src/store/access-log.ts'
import { RepoPaths } from '../../src/store/paths.ts'

const [repo, writer, n] = process.argv.slice(2)
const paths = new RepoPaths(resolve(repo))
for (let i = 0; i < Number(n); i++)
  logAccess(paths, { user: writer, action: 'test-append', subject: String(i) })
