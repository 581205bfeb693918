/**
 * Every view of the UI, one line each: its URL name (`#/<name>/…`), its title, whether the navigation lists
 * it, and its component (loaded when first opened). A new view is a folder under views/ and a line here.
 */
import type { Component } from 'svelte'
import type { Place } from '../router.svelte.ts'

/** What every view is given: where the UI is (path and parameters). */
export interface ViewProps {
  readonly place: Place
}

export interface ViewEntry {
  /** The first segment of its URL: `#/<name>/…`. */
  readonly name: string
  readonly title: string
  /** Listed in the navigation (views reached from others, like one lifecycle, are not). */
  readonly nav: boolean
  /** Who may open it (a role); the server decides in the end, this only keeps the navigation honest. */
  readonly role?: string
  readonly load: () => Promise<{ default: Component<ViewProps> }>
}

export const VIEWS: readonly ViewEntry[] = [
  { name: '', title: 'Find', nav: true, load: () => import('./search/Search.svelte') },
  { name: 'search', title: 'Search', nav: false, load: () => import('./search/Search.svelte') },
  {
    name: 'browse',
    title: 'Day browser',
    nav: true,
    role: 'regulator',
    load: () => import('./browse/Browse.svelte'),
  },
  { name: 'lifecycle', title: 'Lifecycle', nav: false, load: () => import('./lifecycle/Lifecycle.svelte') },
  {
    name: 'market',
    title: 'Market',
    nav: true,
    role: 'regulator',
    load: () => import('./market/Market.svelte'),
  },
  {
    name: 'customer',
    title: 'Customer',
    nav: true,
    role: 'regulator',
    load: () => import('./customer/Customer.svelte'),
  },
  {
    name: 'bluesheet',
    title: 'Blue sheet',
    nav: true,
    role: 'regulator',
    load: () => import('./bluesheet/BlueSheet.svelte'),
  },
  { name: 'dashboard', title: 'Dashboard', nav: true, load: () => import('./dashboard/Dashboard.svelte') },
  {
    name: 'report-card',
    title: 'Report card',
    nav: true,
    load: () => import('./report-card/ReportCard.svelte'),
  },
  {
    name: 'alerts',
    title: 'Alerts',
    nav: true,
    role: 'regulator',
    load: () => import('./alerts/Alerts.svelte'),
  },
]

/**
 * Tabs of the first portal (served at /legacy/) that have no view here yet; each leaves this list when its
 * view joins VIEWS.
 */
export const LEGACY_TABS: readonly { readonly title: string; readonly href: string }[] = []

/** The view a URL name opens, if any. */
export function viewNamed(name: string): ViewEntry | undefined {
  return VIEWS.find((v) => v.name === name)
}
