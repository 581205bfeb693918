/** Renders docs/surveillance-parameters.md from the detectors' parameter table (generated; a test checks it). */
import { DETECTOR_PARAMETERS, type ParameterSpec } from './detector-config.ts'

/** The parameter reference, as Markdown. */
export function renderParametersDoc(): string {
  const out = [
    '# Surveillance parameters',
    '',
    '<!-- Generated from src/surveil/detector-config.ts by `npm run docs`; do not edit. -->',
    '',
    'Every detector of `opencat surveil` (see [surveillance.md](surveillance.md)) with its parameters and',
    'their defaults. A config file given with `--config FILE` is a JSON object of detectors, each an object',
    'of the parameters it changes, e.g. `{ "spoofing": { "minOrderShares": 5000 }, "news": { "enabled": false } }`;',
    'an unknown detector or parameter, or a value of the wrong type, is refused.',
    '',
  ]
  for (const [detector, params] of Object.entries(DETECTOR_PARAMETERS)) {
    out.push(`## \`${detector}\``, '', '| parameter | default | unit | meaning |', '|---|---|---|---|')
    for (const [name, spec] of Object.entries(params as Record<string, ParameterSpec>))
      out.push(`| \`${name}\` | ${String(spec.default)} | ${spec.unit} | ${spec.description} |`)
    out.push('')
  }
  return out.join('\n')
}
