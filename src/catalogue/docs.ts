/**
 * Renders the catalogue as Markdown: the generated reference of every event layout and of the codes.
 * The docs are produced from the catalogue only, never written by hand.
 */

import { CAT_CODES } from './cat-codes.ts'
import { CATALOGUE_V4, CATALOGUE_V221 } from './catalogue.ts'
import { COMPOSITES } from './composites.ts'
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
    "Every event type OpenCAT accepts, by catalogue version. A metadata file's `fileVersion` selects the version",
    '(`2.2.1` → v2.2.1, any `4.x.y` → v4). Positions are CSV positions; JSON records use the field names and may',
    'list fields in any order. Include flags: R required, C conditional, O optional, A required of ATSs on NMS',
    'symbols. Types are described in [records.md](records.md); codes in [codes.md](codes.md).',
    '',
    '## v2.2.1 (official) and OpenCAT exchange events',
    '',
  ]
  for (const e of CATALOGUE_V221.events.values()) out.push(eventSection(e))
  out.push(
    '## v4 changes',
    '',
    'Only the event types v4 changes or adds are listed; all others are as in v2.2.1.',
    '',
  )
  for (const e of CATALOGUE_V4.events.values()) {
    const base = CATALOGUE_V221.events.get(e.type)
    if (base === e || (base && base.source === e.source)) continue
    out.push(eventSection(e, base))
  }
  out.push('## Field dictionary', '', '| Field | Type | Code | Meaning |', '|---|---|---|---|')
  for (const f of FIELDS.values()) out.push(`| \`${f.name}\` | ${typeText(f.type)} | ${f.code} | ${f.doc} |`)
  out.push('')
  return out.join('\n')
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
    '| Code | Severity | Stage | Meaning |',
    '|---|---|---|---|',
    ...[...CAT_CODES.values()]
      .sort((a, b) => a.code - b.code)
      .map(
        (c) =>
          `| ${c.code} | ${c.severity} | ${c.stage}${c.linkageType ? ` (${c.linkageType})` : ''}${c.v4 ? ', v4' : ''} | ${c.title} |`,
      ),
    '',
  ]
  return out.join('\n')
}
