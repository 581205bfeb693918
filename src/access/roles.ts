/**
 * Roles, and the one answer to "may this identity do this action on this resource". The rules are a table
 * (ACTION_RULES): which roles may do each action, and whether a reporter may do it within its scopes.
 */

/** A role, or the `pii` entitlement a regulator may hold besides. */
export type Role = 'reporter' | 'regulator' | 'operator' | 'pii'

/** Every role, in the order `user list` shows them. */
export const ROLES: readonly Role[] = ['reporter', 'regulator', 'pii', 'operator']

/** Who is asking: what `authenticate`, `authenticateToken` or the repository owner check give. */
export interface Identity {
  readonly user: string
  readonly roles: readonly Role[]
  /** A reporter's reach: `imid:<IMID>`, `submitter:<id>`. */
  readonly scopes: readonly string[]
  /** How the identity was established. */
  readonly via: 'password' | 'token' | 'repository-owner'
}

/** What an action is about: the reporter (IMID) or submitter whose data it touches, when it is one's. */
export interface Resource {
  readonly reporter?: string
  readonly submitter?: string
}

/** Everything an identity may ask for. */
export type Action =
  | 'submit'
  | 'feedback.read'
  | 'summary.read'
  | 'report-card.read'
  | 'lifecycle.read'
  | 'market.read'
  | 'customer.read'
  | 'alerts.read'
  | 'alerts.work'
  | 'pii.reveal'
  | 'sql.query'
  | 'extract'
  | 'audit.verify'
  | 'users.manage'
  | 'keys.manage'
  | 'reference.manage'

interface ActionRule {
  /** Roles that may do it, everywhere. */
  readonly roles: readonly Role[]
  /** Roles that must all be held besides (pii.reveal: regulator and pii). */
  readonly alsoNeeds?: readonly Role[]
  /** A reporter may do it for a resource within its scopes. */
  readonly reporterScoped?: boolean
}

/** The permission table. Reporters see only their own files and feedback; PII needs regulator and pii. */
export const ACTION_RULES: Readonly<Record<Action, ActionRule>> = {
  submit: { roles: [], reporterScoped: true },
  'feedback.read': { roles: ['regulator', 'operator'], reporterScoped: true },
  'report-card.read': { roles: ['regulator'], reporterScoped: true },
  // Counts per reporter and date: every reporter's, so not for one reporter; operators watch the load.
  'summary.read': { roles: ['regulator', 'operator'] },
  // A lifecycle crosses firms: one reporter's view of it would show the others'.
  'lifecycle.read': { roles: ['regulator'] },
  'market.read': { roles: ['regulator'] },
  'customer.read': { roles: ['regulator'] },
  // Alerts name customers (CCIDs) and firms across the market, as lifecycles do.
  'alerts.read': { roles: ['regulator'] },
  // Working an alert (its status, assignee and notes) is the investigators' own record: regulators only.
  'alerts.work': { roles: ['regulator'] },
  'pii.reveal': { roles: ['regulator'], alsoNeeds: ['pii'] },
  // SQL reaches every reporter's data: not for reporters (scoping it would mean row filters on every view).
  'sql.query': { roles: ['regulator'] },
  // Bulk copies of every reporter's events, through the same sandbox as sql.query.
  extract: { roles: ['regulator'] },
  'audit.verify': { roles: ['regulator', 'operator'] },
  'users.manage': { roles: ['operator'] },
  'keys.manage': { roles: ['operator'] },
  'reference.manage': { roles: ['operator'] },
}

/** Every action, for listing and testing. */
export const ACTIONS = Object.keys(ACTION_RULES) as Action[]

/** The answer: allowed, or refused with why. */
export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string }

/** Whether a resource falls within a reporter's scopes. */
function inScope(scopes: readonly string[], resource: Resource): boolean {
  if (resource.reporter === undefined && resource.submitter === undefined) return false
  if (resource.reporter !== undefined && !scopes.includes(`imid:${resource.reporter}`)) return false
  if (resource.submitter !== undefined && !scopes.includes(`submitter:${resource.submitter}`)) return false
  return true
}

/** May `identity` do `action` on `resource`? */
export function authorize(identity: Identity, action: Action, resource: Resource = {}): Decision {
  const rule = ACTION_RULES[action]
  const has = (r: Role) => identity.roles.includes(r)
  if (rule.roles.some(has)) {
    const missing = (rule.alsoNeeds ?? []).filter((r) => !has(r))
    if (missing.length === 0) return { allowed: true }
    return { allowed: false, reason: `${action} needs the ${missing.join(', ')} entitlement` }
  }
  if (rule.reporterScoped && has('reporter')) {
    if (inScope(identity.scopes, resource)) return { allowed: true }
    return {
      allowed: false,
      reason: `${identity.user} may ${action} only for ${identity.scopes.join(', ') || 'no reporter'}`,
    }
  }
  const who = [...rule.roles, ...(rule.reporterScoped ? ['reporter (own data)'] : [])]
  return {
    allowed: false,
    reason: `${action} is for ${who.join(' or ')}; ${identity.user} has ${identity.roles.join(', ') || 'no role'}`,
  }
}

/** Checks a set of roles and scopes makes sense before it is granted; returns the problem, if any. */
export function grantProblem(roles: readonly string[], scopes: readonly string[]): string | undefined {
  const unknown = roles.filter((r) => !ROLES.includes(r as Role))
  if (unknown.length > 0) return `unknown role ${unknown.join(', ')} (roles: ${ROLES.join(', ')})`
  if (roles.includes('pii') && !roles.includes('regulator')) return 'the pii entitlement is for regulators'
  if (roles.includes('reporter') && roles.some((r) => r !== 'reporter'))
    return 'a reporter account holds no other role'
  if (roles.includes('reporter') && scopes.length === 0)
    return 'a reporter needs at least one --imid or --submitter'
  if (!roles.includes('reporter') && scopes.length > 0)
    return 'only reporters are scoped to IMIDs and submitters'
  const bad = scopes.filter((s) => !/^imid:[A-Za-z0-9]{1,7}$|^submitter:[0-9]{1,12}$/.test(s))
  if (bad.length > 0) return `not a scope: ${bad.join(', ')}`
  return undefined
}
