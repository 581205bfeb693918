/** `opencat demo`: the main job — a simulated day through the whole pipeline, and a tour of the result. */

import {
  addUser,
  fromBase32,
  type NewCredentials,
  repositoryPaths,
  resetUser,
  totpCode,
} from '../../access/index.ts'
import { catCode } from '../../catalogue/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { progressBar } from '../../common/progress.ts'
import { dateToIso, etDateOf } from '../../common/time/cat-date.ts'
import { formatCatTimestamp } from '../../common/time/cat-timestamp.ts'
import { nyseCalendar } from '../../common/time/nyse-calendar.ts'
import { previousTradingDay } from '../../common/time/trading-calendar.ts'
import { renderLifecycleTree } from '../../link/index.ts'
import { runDemo } from '../../pipeline/demo.ts'
import type { RepoPaths } from '../../store/paths.ts'
import { type Command, flag, optStr } from '../command.ts'
import { describePortal, PORTAL_OPTIONS, servedUntilStopped, startPortalFromArgs } from './serve.ts'
import { SUMMARIES } from './summaries.ts'

/** The account `demo --serve` signs regulators in with. */
const DEMO_USER = 'demo-regulator'

function lastTradingDay(): string {
  const today = etDateOf(BigInt(Date.now()) * 1_000_000n)
  const year = Math.floor(today / 10000)
  return dateToIso(previousTradingDay(nyseCalendar(year - 1, year + 1), today))
}

/** CAT codes with their meanings, e.g. "1115 compressed hash missing or does not match the data file". */
function describeCodes(codes: readonly number[]): string {
  return codes.map((c) => `${c} ${catCode(c).title}`).join('; ')
}

export const demoCommand: Command = {
  name: 'demo',
  summary: SUMMARIES.demo,
  usage: 'demo [--out DIR] [--orders N] [--seed N] [--date YYYY-MM-DD] [--faults RATE] [--json]',
  options: {
    out: {
      type: 'string',
      value: 'DIR',
      description: 'Folder for the simulated day and the repository',
      default: 'demo',
    },
    orders: {
      type: 'string',
      value: 'N',
      description: 'Customer and proprietary orders to simulate',
      default: '20000',
    },
    seed: {
      type: 'string',
      value: 'N',
      description: 'Simulation seed (same seed, same day)',
      default: '2026',
    },
    date: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'Trading date to simulate (default: the last trading day before today)',
    },
    faults: {
      type: 'string',
      value: 'RATE',
      description: 'Share of records with injected reporting faults',
      default: '0.002',
    },
    serve: {
      type: 'boolean',
      description: 'End by starting the regulator portal on the repository (npm start does)',
    },
    ...PORTAL_OPTIONS,
  },
  async run(args, io) {
    const json = flag(args, 'json')
    const date = optStr(args, 'date') ?? lastTradingDay()
    const result = await runDemo({
      out: optStr(args, 'out')!,
      date,
      orders: Number(optStr(args, 'orders')),
      seed: Number(optStr(args, 'seed')),
      faults: Number(optStr(args, 'faults')),
      ...(json ? {} : { progress: progressBar, onStage: (l: string) => io.stderr.write(`✓ ${l}\n`) }),
    })
    if (json) {
      const { lifecycle, ...rest } = result
      io.stdout.write(
        `${JSON.stringify({ ...rest, lifecycle }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
      )
      return 0
    }
    const n = (x: number) => x.toLocaleString('en-US')
    const s = result.submit
    const w = io.stdout
    w.write(`\nOpenCAT demo: ${date}, ${n(result.simulation.events)} events simulated\n\n`)
    w.write(`Files     ${s.files.length} received\n`)
    for (const t of result.files) w.write(`  ${String(t.count).padStart(6)}  ${t.what}\n`)
    for (const f of s.files.filter((x) => x.status === 'rejected'))
      w.write(
        `          rejected ${f.name}: ${[describeCodes(f.codes), f.note].filter(Boolean).join(' — ')}\n`,
      )
    w.write(
      `Records   ${n(s.records)}: ${n(s.accepted)} accepted, ${n(s.rejected)} rejected (${((100 * s.rejected) / Math.max(1, s.records)).toFixed(2)} %)\n\n`,
    )
    const codes = Object.entries(s.errorsByCode).sort((a, b) => b[1] - a[1])
    if (codes.length > 0) {
      w.write('Ingestion errors by code\n')
      for (const [code, count] of codes.slice(0, 10))
        w.write(`  ${code} ×${String(count).padStart(5)}  ${catCode(Number(code)).title}\n`)
      w.write('\nErrors by reporter\n')
      for (const r of result.errorsByReporter.slice(0, 8))
        w.write(`  ${r.reporter.padEnd(8)} ${String(r.errors).padStart(5)} of ${n(r.records)}\n`)
      w.write('\n')
    }
    const l = result.link
    w.write(`Linkage   ${n(l.events)} events, ${n(l.lifecycles)} lifecycles\n`)
    for (const [type, v] of Object.entries(l.byType)) {
      const total = v.linked + v.unlinked
      w.write(
        `  ${type.padEnd(10)} ${n(v.linked).padStart(8)} linked, ${n(v.unlinked).padStart(6)} unlinked  (${total === 0 ? '—' : `${((100 * v.linked) / total).toFixed(2)} %`})\n`,
      )
    }
    if (l.flagged.length > 0) w.write(`  clock drift likely at: ${l.flagged.join(', ')}\n`)
    const linkCodes = Object.entries(l.errorsByCode).sort((a, b) => b[1] - a[1])
    if (linkCodes.length > 0) {
      w.write('\nLinkage errors by code\n')
      for (const [code, count] of linkCodes)
        w.write(`  ${code} ×${String(count).padStart(5)}  ${catCode(Number(code)).title}\n`)
    }
    const sv = result.surveillance
    const kinds = Object.entries(sv.byKind).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    w.write(
      `\nAlerts    ${n(sv.alerts)} from surveillance run ${sv.run}${kinds.length > 0 ? `: ${kinds.map(([k, c]) => `${c} ${k}`).join(', ')}` : ''}\n`,
    )
    const slowest = [...result.stages]
      .filter((x) => !x.stage.startsWith(' '))
      .sort((a, b) => b.seconds - a.seconds)[0]
    w.write(
      `\nStages    ${result.stages.map((x) => `${x.stage.trim()} ${x.seconds.toFixed(1)} s`).join(' · ')}\n`,
    )
    w.write(`Slowest   ${slowest.stage} (${slowest.seconds.toFixed(1)} s)\n`)
    if (result.lifecycle) {
      w.write(
        `\nOne lifecycle across firms and venues (${result.lifecycle.lifecycleId})\n${renderLifecycleTree(result.lifecycle)}\n`,
      )
    }
    const repo = result.repo
    const first = result.lifecycle?.events[0]
    w.write(
      `\nTry next\n` +
        `  npx opencat lifecycle --repo ${repo} --lifecycle ${result.lifecycle?.lifecycleId ?? 'ID'}\n` +
        (first
          ? `  npx opencat lifecycle --repo ${repo} --reporter ${first.reporter} --firm-roe-id ${first.firmROEID} --json\n`
          : '') +
        `  npx opencat report-card --repo ${repo} --reporter ${result.errorsByReporter[0]?.reporter ?? 'IMID'} --date ${date}\n` +
        `  npx opencat link --repo ${repo} --date ${date}\n` +
        `  npx opencat surveil alerts --repo ${repo} --date ${date}\n` +
        (result.market
          ? `  npx opencat book --repo ${repo} --venue ${result.market.venue} --symbol ${result.market.symbol} --at ${formatCatTimestamp(result.market.atNs)} --depth 5\n` +
            `  npx opencat replay --repo ${repo} --symbols ${result.market.symbol} --from ${formatCatTimestamp(result.market.atNs)} --to ${formatCatTimestamp(result.market.atNs + 60_000_000_000n)}\n`
          : '') +
        `  npx opencat verify-receipt --repo ${repo} --log\n` +
        `  ls ${repo}/feedback/*/feedback | head\n`,
    )
    if (!flag(args, 'serve')) return 0
    const credentials = demoRegulator(repositoryPaths(repo))
    const portal = await startPortalFromArgs(repo, args, io)
    w.write(`\n${describePortal(portal)}`)
    const code = totpCode(fromBase32(credentials.totpSecret) ?? Buffer.alloc(0), Date.now() / 1000)
    w.write(
      `\nSign in at ${portal.url} as a regulator (the browser will ask you to accept the self-signed\n` +
        'certificate: compare its SHA-256 fingerprint with the one above):\n' +
        `  user         ${credentials.user}\n` +
        `  password     ${credentials.password ?? '(as set in OPENCAT_PASSWORD)'}\n` +
        `  code         ${code}  (good for about a minute, once; then use an authenticator app:)\n` +
        `  TOTP secret  ${credentials.totpSecret}\n` +
        `  otpauth URI  ${credentials.otpauthUri}\n` +
        'Ctrl-C to stop\n',
    )
    await servedUntilStopped(portal)
    return 0
  },
}

/** The demo's regulator account: added on the first run, given new credentials on every later one. */
function demoRegulator(paths: RepoPaths): NewCredentials {
  try {
    return addUser(paths, DEMO_USER, { kind: 'person', roles: ['regulator'] }) as NewCredentials
  } catch (e) {
    if (!(e instanceof OpenCatError && e.code === 'OCAT_ERR_ACCOUNT_EXISTS')) throw e
    return resetUser(paths, DEMO_USER)
  }
}
