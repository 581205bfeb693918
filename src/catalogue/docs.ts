/**
 * Renders the catalogue as Markdown: the generated reference of every event layout and of the codes.
 * The docs are produced from the catalogue only, never written by hand.
 */

import { CAT_CODES } from './cat-codes.ts'
import { CATALOGUE_V4, CATALOGUE_V41, CATALOGUE_V221 } from './catalogue.ts'
import { COMPOSITES } from './composites.ts'
import { V41_PRESENCE_DEVIATIONS } from './events/v41-deviations.ts'
import { FIELDS } from './fields.ts'
import type { DataType, EventField, EventSpec } from './types.ts'

const BANNER = (source: string) =>
  `<!-- Generated from ${source} by \`npm run docs\`. Do not edit by hand. -->\n`

function typeText(t: DataType): string {
  switch (t.kind) {
    case 'text':
      return `Text(${t.max})`
    case 'alphanumeric':
      return `Alphanumeric(${t.max})`
    case 'choice':
      return `Choice (${t.list})`
    case 'nameValue':
      return `Name/Value (${t.pairs})`
    case 'records':
      return `Array of ${COMPOSITES[t.composite]?.catName ?? t.composite}`
    default:
      return t.kind
  }
}

function fieldRow(f: EventField): string {
  if (f.name === 'reservedForFutureUse') return `| ${f.position} | *reserved* | | | must be blank |`
  const elements = f.elements
    ? ` Elements: ${f.elements.map((e) => `${e.name} (${e.include})`).join(', ')}.`
    : ''
  return `| ${f.position} | \`${f.name}\` | ${typeText(f.spec.type)} | ${f.include} | ${f.spec.doc}.${elements} |`
}

function eventSection(e: EventSpec, changedFrom?: EventSpec): string {
  const note = changedFrom ? `\n*Changes from v2.2.1: ${e.source.split('; ').slice(1).join('; ')}.*\n` : ''
  return [
    `### ${e.type}: ${e.title}`,
    '',
    `${e.doc} Family: ${e.family}; key: ${e.key}; class: ${e.eventClass}. Source: ${e.source.split('; ')[0]}.${note}`,
    '',
    '| # | Field | Type | Incl. | Meaning |',
    '|---|---|---|---|---|',
    ...e.fields.map(fieldRow),
    '',
  ].join('\n')
}

/** docs/formats/events.md */
export function renderEventsDoc(): string {
  const out: string[] = [
    BANNER('src/catalogue'),
    '# Event layouts',
    '',
    "Every event type OpenCAT accepts, by catalogue version. A metadata file's `fileVersion` selects the version:",
    '`2.2.1`, `4.0.0` or `4.1.0`; any other value is refused at integrity with 1116. `4.0.0` is v2.2.1 with the',
    'v4 changes the spec digest confirms; `4.1.0` holds all 99 event types of v4.1. Positions are CSV positions;',
    'JSON records use the field names and may list fields in any order. Include flags: R required, C',
    'conditional, O optional, A required of ATSs on NMS symbols. Types are described in',
    '[records.md](records.md); codes in [errors.md](../errors.md).',
    '',
    "An options exchange reports its exchange events with the series' OSI symbol (a firm's `optionID`) in",
    '`symbol`; the options series master (options.json) lists it, as the symbol master lists equity symbols.',
    '',
    '## v2.2.1 (official) and OpenCAT exchange events',
    '',
  ]
  for (const e of CATALOGUE_V221.events.values()) out.push(eventSection(e))
  out.push(
    '## v4.0.0 changes',
    '',
    'Only the event types 4.0.0 changes or adds are listed; all others are as in v2.2.1.',
    '',
  )
  for (const e of CATALOGUE_V4.events.values()) {
    const base = CATALOGUE_V221.events.get(e.type)
    if (base === e || (base && base.source === e.source)) continue
    out.push(eventSection(e, base))
  }
  out.push(...v41Section())
  out.push('## Field dictionary', '', '| Field | Type | Code | Meaning |', '|---|---|---|---|')
  for (const f of FIELDS.values()) out.push(`| \`${f.name}\` | ${typeText(f.type)} | ${f.code} | ${f.doc} |`)
  out.push('')
  return out.join('\n')
}

function v41Section(): string[] {
  const out = [
    '## v4.1.0',
    '',
    'All 99 event types of v4.1: equity (ME), single-leg option (MO) and multi-leg (ML), plus the exchange',
    "events above and an options exchange's acceptance of a package (EXCA, at the end). Retired positions",
    'are shown as reserved: they must stay blank. The layouts follow the v4.1',
    'field tables as a third-party viewer of the specification publishes them; where those differ from the spec',
    'digest or the official v2.2.1 schema, the digest wins:',
    '',
    '| Event types | Fields | Tables say | OpenCAT | Why |',
    '|---|---|---|---|---|',
    ...V41_PRESENCE_DEVIATIONS.map(
      (d) =>
        `| ${d.types === 'equity' ? 'every equity type' : d.types.join(', ')} | ${d.fields.join(', ')} | ${d.transcription} | ${d.catalogue} | ${d.reason} |`,
    ),
    '',
    'Further readings of the digest where the tables say nothing: the elements of `legDetails` (legRefID,',
    'symbol or optionID, openCloseIndicator, side, legRatioQuantity) and of the v4.1 trade side details',
    '(position 4, the side quantity, retired; BFMMFlag appended). Choice values, handlingInstructions names,',
    'GFD and the names of relative prices that the digest marks unconfirmed are accepted as the tables give them.',
    '',
  ]
  for (const e of CATALOGUE_V41.events.values()) if (e.family !== 'exchange') out.push(eventSection(e))
  // Exchange events only v4.1 has (a package in an options exchange's complex order book).
  for (const e of CATALOGUE_V41.events.values())
    if (e.family === 'exchange' && !CATALOGUE_V221.events.has(e.type)) out.push(eventSection(e))
  return out
}

/** docs/errors.md, from the OCAT_ERR registry, followed by the CAT codes OpenCAT emits. */
export function renderErrorsDoc(
  registry: Record<string, { status: number; what: string; fix: string }>,
): string {
  const out = [
    BANNER('src/common/errors.ts and src/catalogue/cat-codes.ts'),
    '# Errors',
    '',
    'Two kinds: **findings** are what reporters got wrong; they carry CAT codes and come back as feedback files.',
    "**Failures** are OpenCAT's own (a command could not do its work); they carry `OCAT_ERR_*` codes, exit",
    'non-zero, and print `{error, code, message, status}` with `--json`.',
    '',
    '## OpenCAT failures',
    '',
    '| Code | Status | What | How to fix |',
    '|---|---|---|---|',
    ...Object.entries(registry).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.what} | ${e.fix} |`),
    '',
    '## CAT codes OpenCAT emits',
    '',
    "Customer-file codes (stage `customer`) are OpenCAT's own, numbered 90001–90099, a range CAT never",
    'uses: the real CAIS codes (five digits, 22xxx–30xxx) have meanings that are not public, so OpenCAT',
    'borrows none of them. See [formats/cais.md](formats/cais.md).',
    '',
    'Codes marked v4 come from the v4 specification, whose code table the spec digest quotes only in part: where',
    'it names just the range of a family (allocation fields 2170–2182, multi-leg 2200–2225, BFMMFlag 2260–2268,',
    'side-detail array limits 2273–2276), OpenCAT numbers the codes of that family inside the range in field',
    'order, marked "number within its family range".',
    '',
    'Every code of this table can be produced: `test/e2e/every-code.test.ts` sends a day of submissions',
    '(record, file, metadata, customer-file and linkage problems, a portal upload) through `opencat submit` and',
    'the portal, reads the codes back from the feedback and error files as a reporter does, and fails naming',
    'any code of the table no input produced, and any code sent back that the table does not list.',
    '',
    '| Code | Severity | Stage | Meaning |',
    '|---|---|---|---|',
    ...[...CAT_CODES.values()]
      .sort((a, b) => a.code - b.code)
      .map(
        (c) =>
          `| ${c.code} | ${c.severity} | ${c.stage}${c.linkageType ? ` (${c.linkageType})` : ''}${c.v4 ? ', v4' : ''}${c.inRange ? ' (number within its family range)' : ''} | ${c.title} |`,
      ),
    '',
  ]
  return out.join('\n')
}
