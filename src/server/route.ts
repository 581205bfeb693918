/** The shape of an API route: a method, a path, and a handler over the request's query and user. */
import type { Repository } from '../store/repository.ts'

/** What a handler gets. */
export interface RouteContext {
  readonly query: URLSearchParams
  readonly user: string
  /** The repository, opened read-only for this request. */
  readonly repo: Repository
}

/** One API route. */
export interface Route {
  readonly method: 'GET'
  readonly path: string
  readonly summary: string
  handle(ctx: RouteContext): Promise<unknown>
}
