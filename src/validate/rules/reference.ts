/** Rules against reference data: symbols and IMIDs valid on the event date; ATS fields. */
import type { Rule } from '../rule.ts'

const onDate = (alias: string) =>
  `r.event_date BETWEEN ${alias}.from_date AND coalesce(${alias}.to_date, 99991231)`

// A symbol in the master once case and class separators are set aside (`brk/b`, `BRK.B` for `BRK B`): the
// listing market's symbol written in another format, which CAT tells apart from an unknown symbol (2099).
const bare = (col: string) => `regexp_replace(upper(${col}), '[^A-Z0-9]', '', 'g')`
const OTHER_FORMAT = `EXISTS (SELECT 1 FROM ref_symbols y WHERE ${bare('y.symbol')} = ${bare('r.symbol')})`

export const REFERENCE_RULES: readonly Rule[] = [
  {
    id: 'symbol-known',
    code: 2096,
    fields: ['symbol'],
    message: 'symbol is not in the symbol master',
    when: `NOT _symbol_known AND NOT ${OTHER_FORMAT}`,
    example: { type: 'MEOC', set: { symbol: 'NOSUCH' } },
  },
  {
    id: 'symbol-listing-format',
    code: 2099,
    fields: ['symbol'],
    message:
      "symbol is a symbol of the master in another format (case or class separator): use the listing market's",
    when: `NOT _symbol_known AND ${OTHER_FORMAT}`,
    example: { type: 'MEOC', set: { symbol: 'xyz' } },
  },
  {
    id: 'symbol-effective',
    code: 2098,
    fields: ['symbol', 'eventTimestamp'],
    message: 'symbol is not effective on the event date',
    when: '_symbol_known AND NOT _symbol_effective',
    example: { type: 'MEOC', set: { symbol: 'OLDCO' } },
  },
  {
    id: 'originating-imid-known',
    code: 2064,
    fields: ['originatingIMID'],
    message: 'originatingIMID is not an IMID valid on the event date',
    when: `originatingIMID IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ref_imids i WHERE i.imid = r.originatingIMID AND ${onDate('i')})`,
    example: { type: 'MEOC', set: { originatingIMID: 'NOPE' } },
  },
]

/** ATS fields with their codes: blank for everyone but ATSs, required of ATSs on NMS symbols. */
const ATS_FIELDS: Record<string, number> = {
  seqNum: 2092,
  atsDisplayInd: 2007,
  displayPrice: 2021,
  workingPrice: 2107,
  displayQty: 2022,
  atsOrderType: 2008,
  nbbPrice: 2049,
  nbbQty: 2050,
  nboPrice: 2051,
  nboQty: 2052,
  nbboSource: 2047,
}

// Exchange events carry displayQty as book data, not as an ATS field.
const FIRM_EVENTS = [
  'MENO',
  'MEOA',
  'MEOM',
  'MECO',
  'MECOM',
  'MECOC',
  'MEOJ',
  'MEOT',
  'MEOR',
  'MEOC',
  'MENQ',
  'MEQR',
  'MEQC',
  'MEMR',
  'MECR',
  'MEOCR',
  'MEOE',
  'MEOMR',
  'MEQM',
  'MEQS',
  'MERQ',
]

const SAMPLE: Record<string, unknown> = {
  seqNum: 'A1',
  atsDisplayInd: 'N',
  atsOrderType: ['X1'],
  nbboSource: 'S',
}

export const ATS_RULES: readonly Rule[] = [
  ...Object.entries(ATS_FIELDS).map(
    ([field, code]): Rule => ({
      id: `${field}-only-for-ats`,
      code,
      fields: [field, 'symbol'],
      events: FIRM_EVENTS,
      message: `${field} is an ATS field: reporters that are not ATSs leave it blank`,
      when: `${field} IS NOT NULL AND NOT _reporter_ats`,
      example: { type: 'MENO', set: { [field]: SAMPLE[field] ?? 1 } },
    }),
  ),
  {
    id: 'ats-display-on-nms-orders',
    code: 2007,
    fields: ['atsDisplayInd', 'symbol'],
    events: FIRM_EVENTS,
    message: 'an ATS must report atsDisplayInd on orders in NMS symbols',
    when: 'atsDisplayInd IS NULL AND _reporter_ats AND _symbol_nms',
    example: { type: 'MENO', set: { CATReporterIMID: undefined }, reporter: 'ATS' },
  },
]
