/**
 * The session routes: POST /api/session signs a person in (user name, password, TOTP code) and sets the
 * session cookie; GET /api/session says who is signed in (and the CSRF token, for a page reloaded); DELETE
 * /api/session signs out. A refused sign-in says the same whatever was wrong, counts toward the account's
 * lockout, and is logged with the kind of refusal.
 */
import { authenticate, type Identity } from '../../access/index.ts'
import { OpenCatError } from '../../common/errors.ts'
import { logAccess } from '../../store/access-log.ts'
import { OPEN, type Route, SIGNED_IN } from '../route.ts'
import { arrayOf, object, params } from '../schemas.ts'
import type { Session } from '../sessions.ts'

const SIGNED_IN_ANSWER = object(
  {
    user: { type: 'string' },
    roles: arrayOf({ type: 'string' }),
    scopes: arrayOf({ type: 'string' }),
    via: { type: 'string', enum: ['password', 'token', 'repository-owner'] },
    csrfToken: { type: 'string' },
    expires: { type: 'string', format: 'date-time' },
  },
  ['user', 'roles', 'scopes', 'via'],
)

function answer(identity: Identity, session: Session | undefined) {
  return {
    user: identity.user,
    roles: identity.roles,
    scopes: identity.scopes,
    via: identity.via,
    ...(session ? { csrfToken: session.csrfToken, expires: new Date(session.expiresMs).toISOString() } : {}),
  }
}

/** Sign-in attempts per minute from one address. */
export const SIGN_IN_PER_MINUTE = 20

export const signInRoute: Route = {
  method: 'POST',
  path: '/api/session',
  summary: 'Sign in with user name, password and TOTP code; sets the session cookie, answers the CSRF token',
  access: OPEN,
  repository: false,
  perMinute: SIGN_IN_PER_MINUTE,
  body: {
    type: 'object',
    properties: {
      user: { type: 'string', minLength: 1, maxLength: 64 },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
      totp: { type: 'string', pattern: '^[0-9]{6,8}$' },
    },
    required: ['user', 'password', 'totp'],
    additionalProperties: false,
  },
  response: SIGNED_IN_ANSWER,
  async handle({ body, paths, session }) {
    const credentials = body as { user: string; password: string; totp: string }
    const result = authenticate({ paths }, credentials)
    if (!result.ok) {
      logAccess(paths, {
        user: credentials.user,
        action: 'sign-in-refused',
        subject: credentials.user,
        reason: result.refusal,
      })
      throw new OpenCatError(
        'OCAT_ERR_AUTH_REFUSED',
        'sign-in refused: wrong user name, password or code, or the account is locked or disabled',
      )
    }
    logAccess(paths, { user: result.identity.user, action: 'sign-in', subject: result.identity.user })
    return answer(result.identity, session.signIn(result.identity))
  },
}

export const whoAmIRoute: Route = {
  method: 'GET',
  path: '/api/session',
  summary: 'Who is signed in: user, roles, scopes, and the CSRF token of a cookie session',
  access: SIGNED_IN,
  repository: false,
  querystring: params({}),
  response: SIGNED_IN_ANSWER,
  async handle({ identity, session }) {
    return answer(identity!, session.current)
  },
}

export const signOutRoute: Route = {
  method: 'DELETE',
  path: '/api/session',
  summary: 'Sign out: ends the session and clears its cookie',
  access: SIGNED_IN,
  repository: false,
  response: object({ signedOut: { type: 'boolean' } }),
  async handle({ session }) {
    const had = session.current !== undefined
    session.signOut()
    return { signedOut: had }
  },
}
