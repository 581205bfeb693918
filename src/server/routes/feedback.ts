/**
 * GET /api/feedback and /api/feedback/file: a submitter's CAT feedback files (acknowledgement, integrity,
 * ingestion, linkage), listed and read by name. Reporters see only the submitters they are granted;
 * only names the submitter's feedback folder lists are read, so no path a client sends reaches the disk.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { OpenCatError } from '../../common/errors.ts'
import { feedbackDir } from '../../intake/feedback.ts'
import type { RepoPaths } from '../../store/paths.ts'
import { allowed, type Route } from '../route.ts'
import { arrayOf, object, params } from '../schemas.ts'

const SUBMITTER = { type: 'string', pattern: '^[0-9]{1,12}$', description: 'Submitter ID' }
const bySubmitter = (q: URLSearchParams) => ({ submitter: q.get('submitter') ?? '' })

function listing(paths: RepoPaths, submitter: string): string[] {
  const dir = feedbackDir(paths, submitter)
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

export const feedbackListRoute: Route = {
  method: 'GET',
  path: '/api/feedback',
  summary: "A submitter's feedback files, by name (reporters: their own submitters)",
  access: allowed('feedback.read', bySubmitter),
  repository: false,
  querystring: params({ submitter: SUBMITTER }, ['submitter']),
  response: object({
    submitter: { type: 'string' },
    files: arrayOf(object({ name: { type: 'string' }, bytes: { type: 'integer' } })),
  }),
  async handle({ query, paths }) {
    const submitter = query.get('submitter')!
    const dir = feedbackDir(paths, submitter)
    const files = listing(paths, submitter).map((name) => ({ name, bytes: statSync(join(dir, name)).size }))
    return { submitter, files }
  },
}

export const feedbackFileRoute: Route = {
  method: 'GET',
  path: '/api/feedback/file',
  summary: 'One feedback file of a submitter, as text (reporters: their own submitters)',
  access: allowed('feedback.read', bySubmitter),
  repository: false,
  querystring: params(
    {
      submitter: SUBMITTER,
      name: { type: 'string', minLength: 1, maxLength: 255, description: 'A name /api/feedback lists' },
    },
    ['submitter', 'name'],
  ),
  response: object({ submitter: { type: 'string' }, name: { type: 'string' }, text: { type: 'string' } }),
  async handle({ query, paths }) {
    const submitter = query.get('submitter')!
    const name = query.get('name')!
    if (!listing(paths, submitter).includes(name))
      throw new OpenCatError('OCAT_ERR_NOT_FOUND', `submitter ${submitter} has no feedback file ${name}`)
    return { submitter, name, text: readFileSync(join(feedbackDir(paths, submitter), name), 'utf8') }
  },
}
