/**
 * Every validation rule, registered in one list. Adding a rule is adding one entry to a family file; the
 * docs (docs/validation-rules.md) and the rule tests are generated from this list.
 */
import type { Rule } from '../rule.ts'
import { ALLOCATION_RULES } from './allocations.ts'
import { EXCHANGE_RULES } from './exchange.ts'
import { HEADER_RULES } from './header.ts'
import { MANUAL_RULES } from './manual.ts'
import { OPTION_RULES } from './options.ts'
import { ORDER_RULES } from './orders.ts'
import { ATS_RULES, REFERENCE_RULES } from './reference.ts'
import { ROUTE_RULES } from './routes.ts'
import { TRADE_RULES } from './trades.ts'
import { V4_RULES } from './v4.ts'

export const RULES: readonly Rule[] = [
  ...HEADER_RULES,
  ...MANUAL_RULES,
  ...ORDER_RULES,
  ...ROUTE_RULES,
  ...TRADE_RULES,
  ...REFERENCE_RULES,
  ...ATS_RULES,
  ...EXCHANGE_RULES,
  ...OPTION_RULES,
  ...ALLOCATION_RULES,
  ...V4_RULES,
]
