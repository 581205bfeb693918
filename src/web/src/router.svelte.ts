/**
 * Every view is a URL: `#/<view>/<path…>?<parameters>` (e.g. `#/lifecycle/L20260302-…`,
 * `#/search?q=AAPL&date=2026-03-02`). The hash keeps the server to one page and makes any view a link
 * another entitled user can open as it is.
 */

/** Where the UI is: the view's name, the rest of the path, and the parameters. */
export interface Place {
  readonly view: string
  readonly path: readonly string[]
  readonly params: URLSearchParams
}

/** The place a hash names (`''` and `#/` are the home view). */
export function parsePlace(hash: string): Place {
  const raw = hash.replace(/^#\/?/, '')
  const q = raw.indexOf('?')
  const pathPart = q < 0 ? raw : raw.slice(0, q)
  const segments = pathPart
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s)
      } catch {
        return s
      }
    })
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))
  // CAT writes dates as YYYYMMDD (file names, the CLI's instants): a link typed that way opens the same
  // view as the form's YYYY-MM-DD.
  for (const key of DATE_PARAMS) {
    const v = params.get(key)
    if (v !== null && /^\d{8}$/.test(v)) params.set(key, `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`)
  }
  return { view: segments[0] ?? '', path: segments.slice(1), params }
}

/** Parameters that hold a date in every view that has them. */
const DATE_PARAMS = ['date', 'from', 'to'] as const

/** The link (`#/…`) of a view, its path and parameters; empty parameters are left out. */
export function href(
  view: string,
  path: readonly (string | number)[] = [],
  params: Record<string, string | number | undefined | null> = {},
): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const p = [view, ...path.map((s) => encodeURIComponent(String(s)))].filter((s) => s !== '').join('/')
  const qs = q.toString()
  return `#/${p}${qs ? `?${qs}` : ''}`
}

/** The current place, kept in step with the address bar. */
export const router = $state<{ place: Place }>({ place: parsePlace(location.hash) })

window.addEventListener('hashchange', () => {
  router.place = parsePlace(location.hash)
})

/** Opens a view (a new history entry, so Back returns). */
export function go(link: string): void {
  if (location.hash === link) router.place = parsePlace(link)
  else location.hash = link
}

/** Changes the current view's parameters in place (no new history entry): filters being edited. */
export function replace(link: string): void {
  history.replaceState(history.state, '', link)
  router.place = parsePlace(link)
}
