/**
 * Word lists for made-up names: firms, issuers, people and streets. Every name the simulator writes is
 * invented from these; none is meant to be a real firm, company or person.
 */

function words(text: string): readonly string[] {
  return text.trim().split(/\s+/)
}

/** First words of firm names; each gives the firm's IMID (its first four letters). */
export const FIRM_WORDS = words(`
  Alder Birchway Cedarline Dunmore Elmstone Fernhill Glenrock Hawthorn Ironbark Juniper Kestrel Larchmont Maplegate
  Northway Oakridge Pinecrest Quarry Redfern Sprucewood Tamarack Upland Valebrook Willowby Yewfield Zephyr Ashcombe
  Brackley Corriden Delmont Eastmere Foxley Granby Harcourt Islay Jasperton Kinross Lyndale Merrow Nettlebed Orwell
  Penrith Quenby Rushmere Selwyn Thornbury Ulverston Vickery Wexcombe`)

/** Endings of firm names by role. */
export const FIRM_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  wholesaler: ['Market Makers LLC', 'Execution Services LLC'],
  retail: ['Investing Inc', 'Brokerage LLC'],
  institutional: ['Capital Markets LLC', 'Institutional Securities LLC'],
  prop: ['Trading LLC', 'Quantitative Trading LP'],
  agency: ['Securities LLC', 'Financial Services Inc', 'Partners LLC'],
  introducing: ['Investment Services Inc', 'Brokerage Co'],
}

/** Descriptive names of the simulated exchanges (the Exchange IDs are CAT's). */
export const EXCHANGE_NAMES: Readonly<Record<string, string>> = {
  NSDQ: 'Nasdaq Stock Market',
  NYSE: 'New York Stock Exchange',
  ARCA: 'NYSE Arca',
  BZX: 'Cboe BZX Exchange',
  EDGX: 'Cboe EDGX Exchange',
  IEX: 'Investors Exchange',
  BX: 'Nasdaq BX',
  PSX: 'Nasdaq PSX',
  BYX: 'Cboe BYX Exchange',
  EDGA: 'Cboe EDGA Exchange',
  AMER: 'NYSE American',
  NSX: 'NYSE National',
  CHX: 'NYSE Chicago',
  LTSE: 'Long-Term Stock Exchange',
  CBOE: 'Cboe Options Exchange',
  ISE: 'Nasdaq ISE',
  PHLX: 'Nasdaq PHLX',
  MIAMI: 'Miami International Securities Exchange',
  BOX: 'BOX Options Exchange',
  C2: 'Cboe C2 Exchange',
  NOM: 'Nasdaq Options Market',
  ARCAOP: 'NYSE Arca Options',
  AMEROP: 'NYSE American Options',
  BZXOP: 'Cboe BZX Options',
  EDGXOP: 'Cboe EDGX Options',
  GEMX: 'Nasdaq GEMX',
  MRX: 'Nasdaq MRX',
  PEARL: 'MIAX Pearl',
}

/** First words of issuer names. */
export const ISSUER_FIRST = words(`
  Acme Borealis Cobalt Driftwood Ember Flint Granite Harbor Indigo Jetstream Keystone Lumen Meridian Nimbus Onyx
  Prairie Quill Ridgeline Summit Tidewater Umber Vantage Wildflower Xenith Yarrow Zenwave Atlas Beacon Cinder Delta
  Echo Fathom Gale Helix Ion Jade Kinetic Lattice Mosaic Nova Orbit Pulse Quantum Radiant Sable`)
/** Industry words of issuer names. */
export const ISSUER_SECOND = words(`
  Biotech Energy Foods Robotics Semiconductor Logistics Therapeutics Software Mining Pharmaceuticals Networks
  Materials Apparel Motors Realty Bancorp Aerospace Water Media Health Instruments Analytics Brands Industries`)
/** Legal endings of issuer names. */
export const ISSUER_ENDINGS = ['Inc', 'Corp', 'Holdings Inc', 'Group Inc', 'Co', 'Ltd']

/** People's first names. */
export const FIRST_NAMES = words(`
  Ava Ben Carla Dmitri Elena Felix Grace Hiro Ines Jamal Keiko Liam Maya Nikhil Olivia Pablo Quinn Rosa Samir Tara
  Umar Vera Wen Ximena Yusuf Zoe Aaron Bianca Cyrus Daria Emeka Farah Gideon Hana Ivan Julia Kofi Lena Marco Nadia
  Oscar Priya Rafael Sofia Tobias Uma Victor Willa`)
/** People's last names. */
export const LAST_NAMES = words(`
  Abara Bergstrom Castellanos Dimitriou Eklund Fairweather Gallagher Haddad Iversen Jovanovic Kowalczyk Lindqvist
  Marchetti Nakamura Okonkwo Petrakis Quintero Rasmussen Szabo Thorne Underhill Valdivia Whitcombe Xu Yamada
  Zielinski Achterberg Brennan Cardenas Delacroix Esposito Fitzgerald Grunwald Holloway Ibrahim Jablonski Kavanagh
  Lambert Moreau Novak Ostrowski Pemberton Rahman Sorensen Takahashi Vasquez Winslow`)
/** Middle initials. */
export const MIDDLE_INITIALS = 'ABCDEFGHJKLMNPRSTW'

/** First words of institutional customers' names. */
export const FUND_WORDS = [
  'Blue Heron',
  'Granite Peak',
  'Silver Birch',
  'North Star',
  'Red Cedar',
  'Iron Gate',
  'Stonebridge',
  'Lakeshore',
  'Highland',
  'Crescent',
  'Riverbend',
  'Westwind',
  'Clearwater',
  'Oak Hollow',
  'Eagle Rock',
]
/** Endings of institutional customers' names. */
export const FUND_ENDINGS = [
  'Capital Management LP',
  'Asset Management LLC',
  'Pension Fund',
  'Partners LP',
  'Endowment Trust',
  'Growth Fund',
]

/** Street names. */
export const STREETS = [
  'Maple Ave',
  'Oak St',
  'Cedar Ln',
  'Park Pl',
  'River Rd',
  'Hill St',
  'Lake Dr',
  'Elm St',
  'Pine Ct',
  'Main St',
  'Church St',
  'Mill Rd',
  'Spring St',
  'Valley View Rd',
  'Highland Ave',
  'Sunset Blvd',
]
/** Towns as [city, state, 3-digit ZIP prefix]. */
export const TOWNS: readonly (readonly [string, string, string])[] = [
  ['Springfield', 'IL', '627'],
  ['Riverton', 'WY', '825'],
  ['Fairview', 'TN', '370'],
  ['Georgetown', 'TX', '786'],
  ['Madison', 'WI', '537'],
  ['Clinton', 'IA', '527'],
  ['Franklin', 'MA', '020'],
  ['Salem', 'OR', '973'],
  ['Greenville', 'SC', '296'],
  ['Bristol', 'CT', '060'],
  ['Dover', 'DE', '199'],
  ['Auburn', 'AL', '368'],
  ['Milford', 'NH', '030'],
  ['Burlington', 'VT', '054'],
  ['Newport', 'RI', '028'],
]
