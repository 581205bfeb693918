/**
 * The event store's columns as the store's views need them: name and type. The compiled command carries
 * them, computed from the catalogue when it was built (bin/bundle.js), so a command opening a repository
 * does not resolve every catalogue version to learn them (most of what a query command's modules cost to
 * load); from the sources they are derived here, the same way.
 */
import type { Column } from './event-columns.ts'

/** A column of the event store, as a view's empty table declares it. */
export type StoreColumn = Pick<Column, 'name' | 'sqlType'>

// Replaced by the columns of the build in the compiled command; not defined when running the sources.
declare const OPENCAT_STORE_COLUMNS: readonly StoreColumn[] | undefined

/** Every column of a stored record version, in storage order (event-columns.ts `EVENT_COLUMNS`). */
export async function storeColumns(): Promise<readonly StoreColumn[]> {
  if (typeof OPENCAT_STORE_COLUMNS !== 'undefined') return OPENCAT_STORE_COLUMNS
  return (await import('./event-columns.ts')).EVENT_COLUMNS
}
