/**
 * Renders docs/validation-rules.md from the rule list and the catalogue: the record checks the codec makes
 * from the catalogue alone, then every rule with its code, the event types it applies to, and its example.
 */
import { CATALOGUE_V4, CATALOGUE_V41, catCode } from '../catalogue/index.ts'
import type { Rule } from './rule.ts'
import { RULES } from './rules/index.ts'

function appliesTo(rule: Rule): string {
  if (rule.actions?.length === 1 && rule.actions[0] === 'DEL') return 'record deletes'
  const types = [...new Map([...CATALOGUE_V4.events, ...CATALOGUE_V41.events]).values()]
    .filter(
      (e) => (rule.events ? rule.events.includes(e.type) : true) && rule.fields.every((f) => e.byName.has(f)),
    )
    .map((e) => e.type)
  const text = types.length > 12 ? `${types.length} event types` : types.join(', ')
  return rule.versions ? `${text} (file version ${rule.versions.join(', ')})` : text
}

/** docs/validation-rules.md */
export function renderRulesDoc(): string {
  const out = [
    '<!-- Generated from src/validate/rules by `npm run docs`. Do not edit by hand. -->',
    '# Validation rules',
    '',
    'Ingestion checks every record in two passes. Both report CAT codes; a record with any error is rejected',
    'with up to eight codes (the eighth is 2999 when there are more) and an errorROEID a repair must name.',
    '',
    '## 1. What the catalogue says about each field (the codec)',
    '',
    'Driven by the event catalogue ([formats/events.md](formats/events.md)), record by record:',
    '',
    '| Check | Code |',
    '|---|---|',
    "| The line is one JSON object, or has the layout's number of CSV positions | 2134 |",
    '| The line is at most 8,190 bytes | 2132 |',
    '| actionType is NEW, COR, RPR or DEL | 2002 |',
    '| type is an event type of the file version (and of the file kind: firm or exchange) | 2105 |',
    '| No field the layout does not define | 2133 |',
    '| Reserved positions are blank | 2156 |',
    '| No delimiter or non-printable character in a value | 2136 |',
    "| Each value fits its data type: Text/Alphanumeric length and characters, choice lists, Price Numeric(10,8), Real Quantity Numeric(12,6) without trailing fraction zeros, Whole Quantity, Date, Timestamp (both forms), IMID `CRD:MPID`, Exchange ID, name/value pairs, arrays and their elements | the field's own code |",
    "| Required fields are present (in arrays: each element's required fields) | the field's own code |",
    '',
    '## 2. Rules over whole batches (the engine)',
    '',
    'Each rule is an SQL predicate evaluated by the engine over a batch of records at once; a rule applies to',
    'every event type whose layout has all the fields it reads. Adding a rule is adding one entry to a file in',
    '`src/validate/rules/`; a test triggers every rule with its example.',
    '',
    '| Rule | Code | Applies to | Meaning | Example that breaks it |',
    '|---|---|---|---|---|',
  ]
  for (const r of RULES) {
    out.push(
      `| \`${r.id}\` | ${r.code} (${catCode(r.code).severity}) | ${appliesTo(r)}${r.actions ? ` (${r.actions.join('/')})` : ''} | ${r.message} | ${r.example.type}: \`${JSON.stringify(r.example.set)}\` |`,
    )
  }
  out.push('')
  return out.join('\n')
}
