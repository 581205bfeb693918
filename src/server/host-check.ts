/**
 * Which Host headers the portal answers. A page from another site can make a browser send requests to
 * 127.0.0.1 under a name it controls (DNS rebinding); refusing every Host but loopback names, the address
 * the portal listens on and names the operator allows keeps such a page from reading the API.
 */

import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1']

/** Whether an address or name is loopback-only. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h === '::1') return true
  return isIP(h) === 4 && h.startsWith('127.')
}

/** Whether an address is a wildcard (every interface). */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === ''
}

/** The host names (without port) the portal accepts in a Host header. */
export function allowedHostNames(bindHost: string, extra: readonly string[] = []): ReadonlySet<string> {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map((n) => n.toLowerCase())])
  if (isWildcard(bindHost)) {
    // Bound to every interface: each of this machine's addresses is the portal's own.
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(a.address.toLowerCase())
  } else names.add(bindHost.toLowerCase())
  return names
}

/** The host name of a Host header value (`name:port`, `[v6]:port`), lower case; undefined when malformed. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::[0-9]{1,5})?$/.exec(header.trim())
  if (!m) return undefined
  return (m[1] ?? m[2]).toLowerCase()
}
