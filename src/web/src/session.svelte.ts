/** Who is signed in, as the server says (GET/POST/DELETE /api/session). */
import { get, send, setCsrfToken, whenSignedOut } from './api.ts'

interface SignedIn {
  readonly user: string
  readonly roles: string[]
  readonly scopes: string[]
  readonly csrfToken?: string
}

export const session = $state<{
  status: 'unknown' | 'signed-out' | 'signed-in'
  user: string
  roles: string[]
  scopes: string[]
}>({ status: 'unknown', user: '', roles: [], scopes: [] })

function signedIn(who: SignedIn): void {
  setCsrfToken(who.csrfToken)
  session.user = who.user
  session.roles = who.roles
  session.scopes = who.scopes
  session.status = 'signed-in'
}

function signedOut(): void {
  setCsrfToken(undefined)
  session.user = ''
  session.roles = []
  session.scopes = []
  session.status = 'signed-out'
}

whenSignedOut(signedOut)

/** A page (re)loaded while its session lives goes on where it was. */
export async function restoreSession(): Promise<void> {
  try {
    signedIn(await get<SignedIn>('/api/session'))
  } catch {
    signedOut()
  }
}

export async function signIn(user: string, password: string, totp: string): Promise<void> {
  signedIn(await send<SignedIn>('POST', '/api/session', { user, password, totp }))
}

export async function signOut(): Promise<void> {
  try {
    await send('DELETE', '/api/session')
  } finally {
    signedOut()
  }
}

/** Whether the signed-in identity holds a role. */
export function hasRole(role: string): boolean {
  return session.roles.includes(role)
}
