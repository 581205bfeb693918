/**
 * Access: who may do what. Accounts (people with password + TOTP, machines with API tokens), roles and
 * scopes, the permission table, the repository owner, and regulators' read-only SQL over the store.
 */
export type { Account, AccountKind, AccountsFile, StoredToken } from './account-store.ts'
export { accountsDir, readAccounts } from './account-store.ts'
export type { AccountSummary, NewCredentials } from './accounts.ts'
export {
  addUser,
  createToken,
  disableUser,
  grantUser,
  listUsers,
  resetUser,
  revokeTokens,
} from './accounts.ts'
export type { AuthResult, Refusal, SignInPolicy } from './authenticate.ts'
export { authenticate, authenticateToken, LOCKOUT_MS, MAX_FAILURES } from './authenticate.ts'
export { fromBase32, toBase32 } from './base32.ts'
export type { Extract, ExtractFormat, ExtractRequest } from './extract.ts'
export { EXTRACT_FORMATS, EXTRACT_MAX_ROWS, EXTRACT_TIMEOUT_MS, runExtract } from './extract.ts'
export { repositoryOwner } from './repository-owner.ts'
export { repositoryPaths } from './repository-paths.ts'
export type { Action, Decision, Identity, Resource, Role } from './roles.ts'
export { ACTION_RULES, ACTIONS, authorize, grantProblem, ROLES } from './roles.ts'
export type { LoggedRead, SqlAnswer, SqlFormat, SqlLimits } from './sql-query.ts'
export {
  answerRows,
  answerText,
  logUnidentifiedSql,
  runSql,
  SQL_MAX_ROWS,
  SQL_MEMORY_LIMIT_MB,
  SQL_TIMEOUT_MS,
  writeAnswer,
} from './sql-query.ts'
export { hotp, matchTotp, otpauthUri, totpCode } from './totp.ts'
