/** GET /api/health: the portal is up (open to anyone; says nothing of the repository's contents). */
import { OPEN, type Route } from '../route.ts'
import { object, params } from '../schemas.ts'

export const healthRoute: Route = {
  method: 'GET',
  path: '/api/health',
  summary: 'Whether the portal answers',
  access: OPEN,
  repository: false,
  querystring: params({}),
  response: object({ status: { type: 'string', enum: ['ok'] } }),
  async handle() {
    return { status: 'ok' }
  },
}
