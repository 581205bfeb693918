/**
 * Identity: customer and account intake (CAIS), CCIDs from transformed identifiers, FDID → CCID over
 * time, the PII vault. Takes held customer files from intake; gives the identity store and its views.
 * @module
 */
export { checkCaisPair } from './cais-file.ts'
export {
  type CustomerOutcome,
  MAX_CUSTOMER_FILE_BYTES,
  rekeyCustomers,
  runCustomerIntake,
} from './cais-stage.ts'
export { ccidOf } from './ccid.ts'
export { checkFdids, checkFdidsDue, type FdidCheck, fdidFindingsFile } from './fdid-check.ts'
export { createIdentityViews, eventCustomersOf, identityDir } from './identity-views.ts'
export { rewrapSealedFiles } from './rewrap-sealed.ts'
export { readVault, type VaultRecord } from './vault.ts'
