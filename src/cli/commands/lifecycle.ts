/** `opencat lifecycle`: prints the whole lifecycle an event belongs to, across firms and venues. */
import { OpenCatError } from '../../common/errors.ts'
import { type LifecycleKey, lookupLifecycle } from '../../link/lifecycle-lookup.ts'
import { renderLifecycleTree } from '../../link/lifecycle-tree.ts'
import { graphOf, type LifecycleGraph } from '../../query/lifecycle-graph.ts'
import { openRepository } from '../../store/repository.ts'
import { type Command, flag, optStr, str } from '../command.ts'
import { authorizedIdentity, IDENTITY_OPTIONS } from '../identity.ts'
import { SUMMARIES } from './summaries.ts'

export const lifecycleCommand: Command = {
  name: 'lifecycle',
  summary: SUMMARIES.lifecycle,
  usage:
    'lifecycle --repo DIR [--token T | --operator] (--reporter IMID --firm-roe-id ID | --lifecycle ID) [--graph] [--json]',
  options: {
    repo: { type: 'string', value: 'DIR', description: 'The repository', required: true },
    ...IDENTITY_OPTIONS,
    reporter: { type: 'string', value: 'IMID', description: 'Reporter of the event (IMID or Exchange ID)' },
    'firm-roe-id': {
      type: 'string',
      value: 'ID',
      description: 'firmROEID (recordID for exchange events) of the event',
    },
    lifecycle: {
      type: 'string',
      value: 'ID',
      description: 'Lifecycle id (CAT-Order-ID), e.g. L20260302-0K3J9…',
    },
    graph: {
      type: 'boolean',
      description:
        'As a graph: lanes (one per firm or venue), events with every stored version, links, and broken links with their CAT codes',
    },
  },
  async run(args, io) {
    const id = optStr(args, 'lifecycle')
    const reporter = optStr(args, 'reporter')
    const roe = optStr(args, 'firm-roe-id')
    let key: LifecycleKey
    if (id && !reporter && !roe) key = { lifecycleId: id }
    else if (!id && reporter && roe) key = { reporter, firmROEID: roe }
    else
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', 'give either --reporter and --firm-roe-id, or --lifecycle')
    authorizedIdentity(args, 'lifecycle.read')
    const repo = await openRepository(str(args, 'repo'), { onWait: (m) => io.stderr.write(`${m}\n`) })
    try {
      const lc = await lookupLifecycle(repo.db, repo.paths, key)
      if (flag(args, 'graph')) {
        const graph = await graphOf(repo, lc)
        io.stdout.write(flag(args, 'json') ? `${JSON.stringify(graph)}\n` : renderGraph(graph))
        return 0
      }
      io.stdout.write(flag(args, 'json') ? `${JSON.stringify(lc)}\n` : renderLifecycleTree(lc))
      return 0
    } finally {
      repo.close()
    }
  },
}

function renderGraph(g: LifecycleGraph): string {
  const lines = [
    `lifecycle ${g.lifecycleId}${g.symbol ? `  ${g.symbol}` : ''}: ${g.nodes.length} events, ${g.edges.length} links, ${g.broken.length} broken`,
    `lanes: ${g.lanes.map((l) => `${l.id} (${l.role}, ${l.events})`).join('  ')}`,
    '',
  ]
  for (const n of g.nodes) {
    const corrections =
      n.versions.length > 1
        ? `  ${n.versions.length} versions (${n.versions.map((v) => v.action).join(', ')})`
        : ''
    lines.push(`  ${n.lane.padEnd(6)} ${n.type.padEnd(5)} ${n.eventTimestamp}  ${n.firmROEID}${corrections}`)
  }
  lines.push('')
  for (const e of g.edges) lines.push(`  ${e.from} ${e.acrossLanes ? '⇒' : '→'} ${e.to}  ${e.kind}`)
  for (const b of g.broken)
    lines.push(
      `  ${b.from} ✗ ${b.code} ${b.severity}: ${b.meaning}${b.explanation ? ` — ${b.explanation}` : ''}`,
    )
  return `${lines.join('\n')}\n`
}
