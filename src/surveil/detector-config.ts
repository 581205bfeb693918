/**
 * The detectors' parameters: one table of names, defaults, units and meanings, which the config file is
 * checked against and docs/surveillance.md describes. A config file (JSON) overrides any of them:
 * `{ "spoofing": { "minOrderShares": 5000 } }`; unknown detectors or parameters are refused.
 */
import { readFileSync } from 'node:fs'
import { OpenCatError } from '../common/errors.ts'

/** One parameter of a detector. */
export interface ParameterSpec {
  readonly default: number | boolean
  readonly unit: 'shares' | 'seconds' | 'minutes' | 'fraction' | 'count' | 'ratio' | 'flag'
  readonly description: string
}

/** Every detector's parameters, with their defaults. */
export const DETECTOR_PARAMETERS = {
  wash: {
    enabled: { default: true, unit: 'flag', description: 'Run the detector' },
    windowSeconds: {
      default: 60,
      unit: 'seconds',
      description: "A customer's self-matched executions in one symbol closer than this make one alert",
    },
    minExecutions: { default: 1, unit: 'count', description: 'Self-matched executions an alert needs' },
    maxEntryGapSeconds: {
      default: 60,
      unit: 'seconds',
      description: 'The buy and the sell order were entered at most this far apart (arranged together)',
    },
    firmAccounts: {
      default: false,
      unit: 'flag',
      description: "Also alert on executions between two of a firm's own accounts (holder type P or O)",
    },
  },
  spoofing: {
    enabled: { default: true, unit: 'flag', description: 'Run the detector (spoofing and layering)' },
    minOrderShares: {
      default: 2000,
      unit: 'shares',
      description: 'A non-bona-fide order is at least this large',
    },
    maxLifetimeSeconds: {
      default: 30,
      unit: 'seconds',
      description: 'It is cancelled at most this long after entry',
    },
    maxFilledFraction: {
      default: 0.1,
      unit: 'fraction',
      description: 'At most this fraction of it was filled before the cancel',
    },
    groupSeconds: {
      default: 10,
      unit: 'seconds',
      description: "A customer's such orders on one side entered closer than this form one group",
    },
    minRatio: {
      default: 5,
      unit: 'ratio',
      description:
        "The group's shares are at least this many times the shares the customer traded on the other side while it stood",
    },
    layeringLevels: {
      default: 3,
      unit: 'count',
      description: 'A group spread over at least this many price levels is layering, otherwise spoofing',
    },
  },
  markingClose: {
    enabled: { default: true, unit: 'flag', description: 'Run the detector' },
    windowMinutes: {
      default: 10,
      unit: 'minutes',
      description: 'The last minutes before the close looked at',
    },
    minOrders: {
      default: 5,
      unit: 'count',
      description: "A customer's orders taking liquidity on one side of a symbol in that window",
    },
    minVolumeShare: {
      default: 0.2,
      unit: 'fraction',
      description: "Their shares' part of the symbol's volume in the window",
    },
  },
  frontRunning: {
    enabled: { default: true, unit: 'flag', description: 'Run the detector' },
    minOrderShares: {
      default: 10000,
      unit: 'shares',
      description: 'A customer order this large is worth trading ahead of',
    },
    maxHoldSeconds: {
      default: 600,
      unit: 'seconds',
      description: 'The longest a firm is considered to hold an order it has not routed yet',
    },
    exitSeconds: {
      default: 1800,
      unit: 'seconds',
      description: 'Trades of the proprietary account back the other way this soon after are its exit',
    },
  },
  news: {
    enabled: { default: true, unit: 'flag', description: 'Run the detector (needs --news)' },
    lookbackMinutes: {
      default: 30,
      unit: 'minutes',
      description: 'Trading this long before the news is ahead of it',
    },
    afterMinutes: {
      default: 30,
      unit: 'minutes',
      description: 'The move is measured to the last execution this long after the news',
    },
    minMove: { default: 0.02, unit: 'fraction', description: 'Smallest price move that makes news material' },
    minShares: { default: 100, unit: 'shares', description: 'Smallest position a customer took ahead of it' },
    requireExit: {
      default: true,
      unit: 'flag',
      description: 'Alert only when the customer also traded back out after the news',
    },
    exitMinutes: { default: 60, unit: 'minutes', description: 'How long after the news an exit counts' },
  },
} as const satisfies Record<string, Record<string, ParameterSpec>>

type Specs = typeof DETECTOR_PARAMETERS
/** The resolved parameters of every detector. */
export type DetectorConfig = {
  readonly [D in keyof Specs]: {
    readonly [P in keyof Specs[D]]: Specs[D][P] extends { default: boolean } ? boolean : number
  }
}

/** A config file's parameters as given (`value`, recorded with a run) and over the defaults (`resolved`). */
export function loadDetectorConfig(file?: string): { value: unknown; resolved: DetectorConfig } {
  let given: unknown = {}
  if (file !== undefined) {
    try {
      given = JSON.parse(readFileSync(file, 'utf8'))
    } catch (e) {
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `${file}: not a readable JSON config file (${(e as Error).message})`,
      )
    }
  }
  return { value: given, resolved: resolveDetectorConfig(given, file ?? 'config') }
}

/** The defaults, overridden by the values of a parsed config (`source` names it in errors). */
export function resolveDetectorConfig(given: unknown, source: string): DetectorConfig {
  const file = source
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${file}: the config must be a JSON object of detectors`)
  const out: Record<string, Record<string, number | boolean>> = {}
  for (const [detector, params] of Object.entries(DETECTOR_PARAMETERS)) {
    out[detector] = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.default]))
  }
  for (const [detector, values] of Object.entries(given as Record<string, unknown>)) {
    const specs = (DETECTOR_PARAMETERS as Record<string, Record<string, ParameterSpec>>)[detector]
    if (!specs)
      throw new OpenCatError(
        'OCAT_ERR_CLI_USAGE',
        `${file}: unknown detector "${detector}" (known: ${Object.keys(DETECTOR_PARAMETERS).join(', ')})`,
      )
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      throw new OpenCatError('OCAT_ERR_CLI_USAGE', `${file}: "${detector}" must be an object of parameters`)
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      const spec = specs[name]
      if (!spec)
        throw new OpenCatError(
          'OCAT_ERR_CLI_USAGE',
          `${file}: unknown parameter "${detector}.${name}" (known: ${Object.keys(specs).join(', ')})`,
        )
      const ok =
        typeof spec.default === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number' && Number.isFinite(value) && value >= 0
      if (!ok)
        throw new OpenCatError(
          'OCAT_ERR_CLI_USAGE',
          `${file}: "${detector}.${name}" must be ${typeof spec.default === 'boolean' ? 'true or false' : `a number ≥ 0 (${spec.unit})`}`,
        )
      out[detector][name] = value as number | boolean
    }
  }
  return out as unknown as DetectorConfig
}
