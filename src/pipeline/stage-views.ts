/**
 * Registers the views of the later stages with the store, so every repository connection opened in this
 * process sees them, and the parts they add to the day index, so every build written in this process holds
 * them. Imported once by the CLI (and by tests that open repositories).
 */
import { nbboDayIndexPart } from '../book/index.ts'
import { createIdentityViews } from '../identity/index.ts'
import { createLinkageViews, LINKAGE_VIEWS } from '../link/index.ts'
import { timelineDayIndexPart } from '../query/timeline-day-index.ts'
import { registerDayIndexPart } from '../store/day-index-write.ts'
import { registerViews } from '../store/views.ts'

registerViews('linkage', createLinkageViews, LINKAGE_VIEWS)
registerViews('identity', createIdentityViews)
registerDayIndexPart(nbboDayIndexPart)
registerDayIndexPart(timelineDayIndexPart)
