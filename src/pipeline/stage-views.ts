/**
 * Registers the views of the later stages with the store, so every repository connection opened in this
 * process sees them, and the parts they add to the day index, so every build written in this process holds
 * them. Imported once by the CLI (and by tests that open repositories).
 */
import { createIdentityViews } from '../identity/identity-views.ts'
import { createLinkageViews, LINKAGE_VIEWS } from '../link/linkage-views.ts'
import { timelineDayIndexPart } from '../query/timeline-day-index.ts'
import { type DayIndexPart, registerDayIndexPart } from '../store/day-index-write.ts'
import { registerViews } from '../store/views.ts'

/**
 * The NBBO part's folders (nbbo-day-index.ts `nbboDayIndexPart`: its name and companions): the part's module,
 * with the book's replay and the codec it imports, loads only when a build is written.
 */
export const NBBO_FOLDERS = { name: 'nbbo', companions: ['venue-quotes', 'book-checkpoints'] } as const

/** A part named by `folders` whose module loads when a build is first written. */
function whenWritten(
  folders: { readonly name: string; readonly companions?: readonly string[] },
  load: () => Promise<DayIndexPart>,
): DayIndexPart {
  return { ...folders, write: async (context) => (await load()).write(context) }
}

registerViews('linkage', createLinkageViews, LINKAGE_VIEWS)
registerViews('identity', createIdentityViews)
registerDayIndexPart(
  whenWritten(NBBO_FOLDERS, async () => (await import('../book/nbbo-day-index.ts')).nbboDayIndexPart),
)
registerDayIndexPart(timelineDayIndexPart)
