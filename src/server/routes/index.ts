/**
 * Every API route, in the order `/api` and the OpenAPI document list them. A new route is one file beside
 * these and one line here; the server gives it validation, authorization, rate limits and the access log.
 */
import type { Route } from '../route.ts'
import { alertStatusRoute, changeAlertStatusRoute } from './alert-status.ts'
import { alertEvidenceRoute, alertsRoute } from './alerts.ts'
import { bluesheetRoute } from './bluesheet.ts'
import { browseRoute } from './browse.ts'
import { customerRoute } from './customer.ts'
import { dashboardRoute } from './dashboard.ts'
import { extractDayRoute, extractQueryRoute } from './extract.ts'
import { feedbackFileRoute, feedbackListRoute } from './feedback.ts'
import { listFilesRoute, receiptRoute, uploadFileRoute } from './files.ts'
import { healthRoute } from './health.ts'
import { lifecycleGraphRoute, lifecycleRoute } from './lifecycle.ts'
import { bookRoute, depthRoute, nbboRoute } from './market.ts'
import { marketRoute, replayRoute } from './market-window.ts'
import { reportCardRoute } from './report-card.ts'
import { searchRoute } from './search.ts'
import { signInRoute, signOutRoute, whoAmIRoute } from './session.ts'
import { sqlRoute } from './sql.ts'
import { summaryRoute } from './summary.ts'
import { usersRoute } from './users.ts'

/** The routes that answer questions about the repository. */
export const QUERY_ROUTES: readonly Route[] = [
  summaryRoute,
  dashboardRoute,
  searchRoute,
  browseRoute,
  lifecycleRoute,
  lifecycleGraphRoute,
  customerRoute,
  bluesheetRoute,
  reportCardRoute,
  bookRoute,
  nbboRoute,
  depthRoute,
  marketRoute,
  replayRoute,
  sqlRoute,
  extractDayRoute,
  extractQueryRoute,
  alertsRoute,
  alertEvidenceRoute,
  alertStatusRoute,
  changeAlertStatusRoute,
  feedbackListRoute,
  feedbackFileRoute,
]

/** Every API route. */
export const ROUTES: readonly Route[] = [
  healthRoute,
  signInRoute,
  whoAmIRoute,
  signOutRoute,
  ...QUERY_ROUTES,
  uploadFileRoute,
  listFilesRoute,
  receiptRoute,
  usersRoute,
]
