import { describe, expect, it } from 'vitest'
import { ACTIONS, type Action, authorize, grantProblem, type Identity, type Resource } from './roles.ts'

const who = (roles: Identity['roles'], scopes: string[] = []): Identity => ({
  user: 'u',
  roles,
  scopes,
  via: 'token',
})

const reporter = who(['reporter'], ['imid:LARC', 'submitter:144994'])
const regulator = who(['regulator'])
const regulatorPii = who(['regulator', 'pii'])
const operator = who(['operator'])
const nobody = who([])

const own: Resource = { reporter: 'LARC' }
const other: Resource = { reporter: 'ISLA' }

// Expected answers, one row per action: [reporter own, reporter other, regulator, regulator+pii, operator, no role].
const MATRIX: Record<Action, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
  submit: [true, false, false, false, false, false],
  'feedback.read': [true, false, true, true, true, false],
  'report-card.read': [true, false, true, true, false, false],
  'summary.read': [false, false, true, true, true, false],
  'lifecycle.read': [false, false, true, true, false, false],
  'market.read': [false, false, true, true, false, false],
  'customer.read': [false, false, true, true, false, false],
  'alerts.read': [false, false, true, true, false, false],
  'alerts.work': [false, false, true, true, false, false],
  'pii.reveal': [false, false, false, true, false, false],
  'sql.query': [false, false, true, true, false, false],
  extract: [false, false, true, true, false, false],
  'audit.verify': [false, false, true, true, true, false],
  'users.manage': [false, false, false, false, true, false],
  'keys.manage': [false, false, false, false, true, false],
  'reference.manage': [false, false, false, false, true, false],
}

describe('authorize: the permission matrix', () => {
  it('covers every action', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ACTIONS].sort())
  })
  for (const action of ACTIONS) {
    it(`${action}`, () => {
      const asked = [
        authorize(reporter, action, action === 'submit' ? { submitter: '144994' } : own),
        authorize(reporter, action, action === 'submit' ? { submitter: '999' } : other),
        authorize(regulator, action, other),
        authorize(regulatorPii, action, other),
        authorize(operator, action, other),
        authorize(nobody, action, own),
      ].map((d) => d.allowed)
      expect(asked).toEqual(MATRIX[action])
    })
  }

  it('gives the reason of a refusal', () => {
    const d = authorize(regulator, 'pii.reveal')
    expect(d.allowed).toBe(false)
    if (!d.allowed) expect(d.reason).toMatch(/pii/)
    const r = authorize(reporter, 'report-card.read', other)
    if (!r.allowed) expect(r.reason).toMatch(/imid:LARC/)
  })

  it('a reporter with no resource named is in no scope', () => {
    expect(authorize(reporter, 'report-card.read').allowed).toBe(false)
  })
})

describe('grantProblem', () => {
  it('accepts the four kinds of account', () => {
    expect(grantProblem(['reporter'], ['imid:LARC'])).toBeUndefined()
    expect(grantProblem(['regulator'], [])).toBeUndefined()
    expect(grantProblem(['regulator', 'pii'], [])).toBeUndefined()
    expect(grantProblem(['operator'], [])).toBeUndefined()
  })
  it('refuses what makes no sense', () => {
    expect(grantProblem(['pii'], [])).toMatch(/regulators/)
    expect(grantProblem(['reporter'], [])).toMatch(/at least one/)
    expect(grantProblem(['reporter', 'regulator'], ['imid:LARC'])).toMatch(/no other role/)
    expect(grantProblem(['regulator'], ['imid:LARC'])).toMatch(/only reporters/)
    expect(grantProblem(['admin'], [])).toMatch(/unknown role/)
    expect(grantProblem(['reporter'], ['imid:TOO-LONG-ID'])).toMatch(/not a scope/)
  })
})
