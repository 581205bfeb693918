/**
 * Name/value pair definitions: timeInForce and handlingInstructions. A name without a value means `true`.
 */
import { parseTypeNotation } from './data-types.ts'
import type { NameValueSpec } from './types.ts'

// Boolean names are listed bare; names that carry a value are written name:type.
const TIME_IN_FORCE = 'DAY:date IOC IOR GTC GTT:timestamp GTD:date GTM GTX'

// The names of the official v2.2.1 JSON schema.
const HANDLING_SCHEMA_V221 =
  'ADD ALG ALGMod ALO AOB AOK AON ATT BIN CAC CMC CMPX CND CNH CPR CSH d DIR DIV DNI DNR DNRT EW FB FBA FOK FS ' +
  'FUT G GVWAP IDX IO LOC LOO M MAC MAO MOB MOC MOO MRP MTL NAV ND NH OPO OPT OVD P PEG PSO R RLO RSV SCL SLD ' +
  'SLR SLQ SMT SR SOQ STP TS UNS UNP WCO WDP WRK AucResp:alnum:40 DISP:price DISQ:realQty STOP:price SW:price ' +
  'TMO:timestamp OET'

// RAR ("routed as received") is a phase-2c value the v2.2.1 r3 text defines beside ALGMod and OET, but its
// JSON schema leaves out. The text wins over the schema.
const HANDLING_TEXT_ONLY_V221 = 'RAR'

const HANDLING_V221 = `${HANDLING_SCHEMA_V221} ${HANDLING_TEXT_ONLY_V221}`

// v4.1 names per the spec digest (definitions unconfirmed). The types of the value-carrying ones are not
// published, so they take any text. The v2.2.1 names stay accepted: whether v4.1 retired some is unconfirmed.
const HANDLING_V41_ADDITIONS =
  'AIP ALGS APCM AUC CTR CSC DAC ERP GP MAX NCTR OCP OFF PBG PCS PCTPX QCC SLL STOPF TTF TTO TTS TTSO TTU ' +
  'APCL:text:40 CASH:text:40 DLVF:text:40 DLVT:text:40 SWQ:text:40'

// GFD (good for a number of seconds, OTC Link ATS) is new in v4.1; GTX stays a name without a value, as in
// v2.2.1 (that v4.1 gives it a Date is unconfirmed).
const TIME_IN_FORCE_V41 = `${TIME_IN_FORCE} GFD:wholeQty`

// Names of a relative price (quotes priced against a reference). Unconfirmed: the v4.1 text lists ten
// names, of which only PEG and MOC are known here; the others follow the pegs of handlingInstructions.
const RELATIVE_PRICE = 'PEG MOC M P R d MOO LOC LOO CMC'

/** Per name/value pair, the names the v2.2.1 text defines that its official JSON schema omits. */
export const SCHEMA_OMISSIONS_V221: ReadonlyMap<string, readonly string[]> = new Map([
  ['handlingInstructions', HANDLING_TEXT_ONLY_V221.split(' ')],
])

function define(name: string, list: string, exactlyOne: boolean): NameValueSpec {
  const entries = new Map()
  for (const token of list.split(' ')) {
    const colon = token.indexOf(':')
    if (colon < 0) entries.set(token, parseTypeNotation('boolean'))
    else entries.set(token.slice(0, colon), parseTypeNotation(token.slice(colon + 1)))
  }
  return Object.freeze({ name, entries, exactlyOne })
}

/** Name/value definitions of the v2.2.1 catalogue. */
export const NAME_VALUES_V221: ReadonlyMap<string, NameValueSpec> = new Map([
  ['timeInForce', define('timeInForce', TIME_IN_FORCE, true)],
  ['handlingInstructions', define('handlingInstructions', HANDLING_V221, false)],
])

/** Name/value definitions of the v4 catalogue. */
export const NAME_VALUES_V4: ReadonlyMap<string, NameValueSpec> = new Map([
  ['timeInForce', define('timeInForce', TIME_IN_FORCE, true)],
  ['handlingInstructions', define('handlingInstructions', HANDLING_V221, false)],
])

/** Name/value definitions of the v4.1 catalogue. */
export const NAME_VALUES_V41: ReadonlyMap<string, NameValueSpec> = new Map([
  ['timeInForce', define('timeInForce', TIME_IN_FORCE_V41, true)],
  [
    'handlingInstructions',
    define('handlingInstructions', `${HANDLING_V221} ${HANDLING_V41_ADDITIONS}`, false),
  ],
  ['relativePrice', define('relativePrice', RELATIVE_PRICE, false)],
])
