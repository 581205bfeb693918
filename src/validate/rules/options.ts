/**
 * Rules on options and multi-leg orders: OSI option symbols, open/close, routes of options (never to a
 * foreign destination; an exchange gets an origin code), and the legs of a multi-leg order.
 */
import { CATALOGUE_V41 } from '../../catalogue/index.ts'
import type { Rule } from '../rule.ts'

// OSI: the root left-aligned in six places, expiry YYMMDD, C or P, strike × 1000 in eight digits; FLEX
// percent options carry a leading %.
const OSI = `'%?[A-Z0-9][A-Z0-9 ]{5}[0-9]{6}[CP][0-9]{8}'`
const notOsi = (v: string) =>
  `(NOT regexp_full_match(${v}, ${OSI}) OR try_strptime(substr(regexp_replace(${v}, '^%', ''), 7, 6), '%y%m%d') IS NULL)`

const legs = "CAST(json_extract(legDetails, '$[*]') AS JSON[])"
const leg = (f: string) => `json_extract_string(l, '$.${f}')`
const anyLeg = (predicate: string) => `len(list_filter(${legs}, l -> ${predicate})) > 0`

/** Option and multi-leg event types of v4.1 that route an order or a quote (they carry destinationType). */
const OPTION_ROUTES = [...CATALOGUE_V41.events.values()]
  .filter((e) => (e.family === 'option' || e.family === 'multiLeg') && e.byName.has('destinationType'))
  .map((e) => e.type)

export const OPTION_RULES: readonly Rule[] = [
  {
    id: 'option-id-is-osi',
    code: 2058,
    fields: ['optionID'],
    message:
      'optionID must be an OSI option symbol: root in six places, expiry YYMMDD, C or P, strike in eight digits',
    when: notOsi('optionID'),
    example: { type: 'MONO', set: { optionID: 'XYZ 20260320 C 10' }, fileVersion: '4.1.0' },
  },
  {
    id: 'option-series-known',
    code: 2058,
    fields: ['optionID'],
    message: 'optionID is not a series of the options series master',
    // Only a repository holding an options series master (options.json) checks series against it.
    when: `EXISTS (SELECT 1 FROM ref_options) AND NOT EXISTS (SELECT 1 FROM ref_options o WHERE o.option_id = r.optionID)`,
    example: { type: 'MOOA', set: { optionID: 'XYZ   260320C00099000' }, fileVersion: '4.1.0' },
  },
  {
    id: 'option-series-effective',
    code: 2060,
    fields: ['optionID', 'eventTimestamp'],
    message: 'optionID is a series that is not effective on the event date',
    when: `EXISTS (SELECT 1 FROM ref_options o WHERE o.option_id = r.optionID)
      AND NOT EXISTS (SELECT 1 FROM ref_options o WHERE o.option_id = r.optionID
        AND r.event_date BETWEEN o.from_date AND coalesce(o.to_date, 99991231))`,
    example: { type: 'MOOT', set: { optionID: 'XYZ   250321C00010000' }, fileVersion: '4.1.0' },
  },
  {
    id: 'options-never-routed-abroad',
    code: 2020,
    fields: ['destinationType'],
    events: OPTION_ROUTES,
    message: 'destinationType N (foreign) is not allowed for options and multi-leg orders',
    when: "destinationType = 'N'",
    example: {
      type: 'MOOR',
      set: { destinationType: 'N', destination: undefined, routedOrderID: undefined, senderIMID: undefined },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'origin-code-to-exchanges',
    code: 2028,
    fields: ['exchOriginCode', 'destinationType'],
    message:
      'exchOriginCode is required on routes to an options exchange (destinationType E) and only on those',
    when: "(destinationType = 'E' AND exchOriginCode IS NULL) OR (destinationType <> 'E' AND exchOriginCode IS NOT NULL)",
    example: { type: 'MOOR', set: { exchOriginCode: 'C' }, fileVersion: '4.1.0' },
  },
  {
    id: 'open-close-to-exchanges',
    code: 2057,
    fields: ['openCloseIndicator', 'destinationType', 'optionID'],
    message: 'openCloseIndicator is required on an option order routed to an exchange (destinationType E)',
    when: "destinationType = 'E' AND openCloseIndicator IS NULL",
    example: {
      type: 'MOOR',
      set: { destinationType: 'E', destination: 'NSDQ', session: 'S1', exchOriginCode: 'C' },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'legs-at-least-two',
    code: 2200,
    fields: ['legDetails'],
    message: 'legDetails: a multi-leg order has at least two legs',
    when: 'json_array_length(legDetails) < 2',
    example: {
      type: 'MLNO',
      set: {
        numberOfLegs: 1,
        legDetails: [{ legRefID: 'L1', symbol: 'XYZ', side: 'B', legRatioQuantity: 1 }],
      },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'legs-counted',
    code: 2201,
    fields: ['numberOfLegs', 'legDetails'],
    message: 'numberOfLegs must equal the number of legDetails',
    when: 'legDetails IS NOT NULL AND numberOfLegs <> json_array_length(legDetails)',
    example: { type: 'MLNO', set: { numberOfLegs: 3 }, fileVersion: '4.1.0' },
  },
  {
    id: 'leg-ref-ids-unique',
    code: 2207,
    fields: ['legDetails'],
    message: 'legDetails: each leg of an order has its own legRefID',
    when: `len(list_distinct(list_transform(${legs}, l -> ${leg('legRefID')}))) < json_array_length(legDetails)`,
    example: {
      type: 'MLNO',
      set: {
        legDetails: [
          { legRefID: 'L1', symbol: 'XYZ', side: 'B', legRatioQuantity: 100 },
          { legRefID: 'L1', symbol: 'ABC', side: 'SL', legRatioQuantity: 100 },
        ],
      },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'leg-names-one-instrument',
    code: 2208,
    fields: ['legDetails'],
    message: 'legDetails: each leg names either a symbol (equity leg) or an optionID (option leg), not both',
    when: anyLeg(`(${leg('symbol')} IS NULL) = (${leg('optionID')} IS NULL)`),
    example: {
      type: 'MLNO',
      set: {
        legDetails: [
          { legRefID: 'L1', side: 'B', legRatioQuantity: 1 },
          { legRefID: 'L2', symbol: 'XYZ', side: 'SL', legRatioQuantity: 100 },
        ],
      },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'leg-option-id-is-osi',
    code: 2209,
    fields: ['legDetails'],
    message: 'legDetails: the optionID of an option leg must be an OSI option symbol',
    when: anyLeg(`${leg('optionID')} IS NOT NULL AND ${notOsi(leg('optionID'))}`),
    example: {
      type: 'MLOR',
      set: {
        legDetails: [
          {
            legRefID: 'L1',
            optionID: 'XYZ   261340C00010000',
            openCloseIndicator: 'Open',
            side: 'B',
            legRatioQuantity: 1,
          },
          { legRefID: 'L2', symbol: 'XYZ', side: 'SL', legRatioQuantity: 100 },
        ],
      },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'leg-series-known',
    code: 2209,
    fields: ['legDetails'],
    message: 'legDetails: the optionID of an option leg is not a series of the options series master',
    when: `EXISTS (SELECT 1 FROM ref_options) AND NOT list_has_all(
      (SELECT list(option_id) FROM ref_options),
      list_filter(list_transform(${legs}, l -> ${leg('optionID')}), x -> x IS NOT NULL))`,
    example: {
      type: 'MLCO',
      set: {
        legDetails: [
          {
            legRefID: 'L1',
            optionID: 'XYZ   260320C00099000',
            openCloseIndicator: 'Open',
            side: 'B',
            legRatioQuantity: 1,
          },
          { legRefID: 'L2', symbol: 'XYZ', side: 'SL', legRatioQuantity: 100 },
        ],
      },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'leg-ratio-positive',
    code: 2212,
    fields: ['legDetails'],
    message: 'legDetails: legRatioQuantity must be greater than zero',
    when: anyLeg(`TRY_CAST(${leg('legRatioQuantity')} AS DECIMAL(18,6)) <= 0`),
    example: {
      type: 'MLOA',
      set: {
        legDetails: [
          { legRefID: 'L1', symbol: 'XYZ', side: 'B', legRatioQuantity: 0 },
          { legRefID: 'L2', symbol: 'ABC', side: 'SL', legRatioQuantity: 100 },
        ],
      },
      fileVersion: '4.1.0',
    },
  },
  {
    id: 'leg-open-close-on-option-legs',
    code: 2213,
    fields: ['legDetails'],
    message:
      'legDetails: an option leg says whether it opens or closes a position (openCloseIndicator); an equity leg does not',
    when: anyLeg(
      `(${leg('optionID')} IS NOT NULL AND ${leg('openCloseIndicator')} IS NULL) OR (${leg('symbol')} IS NOT NULL AND ${leg('openCloseIndicator')} IS NOT NULL)`,
    ),
    example: {
      type: 'MLOM',
      set: {
        legDetails: [
          { legRefID: 'L1', optionID: 'XYZ   260320C00010000', side: 'B', legRatioQuantity: 1 },
          { legRefID: 'L2', symbol: 'XYZ', side: 'SL', legRatioQuantity: 100 },
        ],
      },
      fileVersion: '4.1.0',
    },
  },
]
