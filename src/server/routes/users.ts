/** GET /api/users: the repository's accounts without secrets (operators). */
import { listUsers } from '../../access/index.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, object, params } from '../schemas.ts'

export const usersRoute: Route = {
  method: 'GET',
  path: '/api/users',
  summary: 'Accounts: kind, roles, scopes, disabled, locked, tokens (no secrets)',
  access: allowed('users.manage'),
  repository: false,
  querystring: params({}),
  response: arrayOf(
    object({
      user: { type: 'string' },
      kind: { type: 'string', enum: ['person', 'machine'] },
      roles: arrayOf({ type: 'string' }),
      scopes: arrayOf({ type: 'string' }),
      disabled: { type: 'boolean' },
      failures: { type: 'integer' },
      locked: { type: 'boolean' },
      tokens: arrayOf(
        object({ id: { type: 'string' }, created: { type: 'string' }, revoked: { type: 'boolean' } }),
      ),
    }),
  ),
  async handle({ paths }) {
    return listUsers(paths)
  },
}
