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
 * The NBBO part as a build sees it (nbbo-day-index.ts `nbboDayIndexPart`: its name, its companions, and that
 * it is written beside the store's parts): the part's module, with the book's replay and the codec it
 * imports, loads only when a build is written.
 */
export const NBBO_PART_SHAPE = {
  name: 'nbbo',
  companions: ['venue-quotes', 'book-checkpoints'],
  beside: true,
} as const

/** A part shaped as `shape` whose module loads when a build is first written. */
function whenWritten(shape: Omit<DayIndexPart, 'write'>, load: () => Promise<DayIndexPart>): DayIndexPart {
  return { ...shape, write: async (context) => (await load()).write(context) }
}

registerViews('linkage', createLinkageViews, LINKAGE_VIEWS)
registerViews('identity', createIdentityViews)
registerDayIndexPart(
  whenWritten(NBBO_PART_SHAPE, async () => (await import('../book/nbbo-day-index.ts')).nbboDayIndexPart),
)
registerDayIndexPart(timelineDayIndexPart)
