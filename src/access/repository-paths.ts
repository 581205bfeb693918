/** The paths of an existing repository, for commands that read its files without opening its catalogue. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { OpenCatError } from '../common/errors.ts'
import { RepoPaths } from '../store/paths.ts'

/** The repository at `dir`, or OCAT_ERR_REPO_NOT_FOUND. */
export function repositoryPaths(dir: string): RepoPaths {
  const paths = new RepoPaths(resolve(dir))
  if (!existsSync(paths.manifest))
    throw new OpenCatError(
      'OCAT_ERR_REPO_NOT_FOUND',
      `${paths.root} is not an OpenCAT repository (no opencat.json)`,
    )
  return paths
}
