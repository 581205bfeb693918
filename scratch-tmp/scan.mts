import { openRepository } from '../src/store/repository.ts'
import { createScanView } from '../src/link/link-date.ts'
import { linkSql } from '../src/link/link-sql.ts'
const repo = await openRepository('/tmp/link5/repo', { write: true })
const db = repo.db
await db.run(`SET threads = 2`)
await createScanView(db, repo.paths.events, 'lk_scan', [20260302], 10n ** 19n)
await db.run(linkSql('macros'))
const time = async (label: string, sql: string) => { const t = performance.now(); await db.run(sql); console.log(label, ((performance.now() - t) / 1000).toFixed(2), 's') }
await time('count', 'SELECT count(*) FROM lk_scan')
await time('raw ids', 'CREATE OR REPLACE TEMP TABLE t1 AS SELECT _event_id, _reporter, _type, _event_ns FROM lk_scan')
await time('raw keys', `CREATE OR REPLACE TEMP TABLE t2 AS SELECT _event_id, _reporter, _type, _event_ns, orderID, orderKeyDate, symbol, routedOrderID, senderIMID, destination, receiverIMID, priorOrderID, tradeID, _roe_id FROM lk_scan`)
await time('scan.sql', linkSql('scan', { TARGET: 'lk_nodes', SCAN: 'lk_scan', DELTA: 'true' }).replace('CREATE OR REPLACE TABLE', 'CREATE OR REPLACE TEMP TABLE'))
