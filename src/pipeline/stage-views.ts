/**
 * Registers the views of the later stages with the store, so every repository connection opened in this
 * process sees them. Imported once by the CLI (and by tests that open repositories).
 */
import { createIdentityViews } from '../identity/index.ts'
import { createLinkageViews } from '../link/index.ts'
import { registerViews } from '../store/views.ts'

registerViews('linkage', createLinkageViews)
registerViews('identity', createIdentityViews)
