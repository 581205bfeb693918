/**
 * Identity: customer and account intake (CAIS), CCIDs from transformed identifiers, FDID → CCID over
 * time, the PII vault. Takes held customer files from intake; gives the identity store and its views.
 * @module
 */
export { checkCaisPair } from './cais-file.ts'
export { type CustomerOutcome, rekeyCustomers, runCustomerIntake } from './cais-stage.ts'
export { ccidOf } from './ccid.ts'
export { createIdentityViews, identityDir } from './identity-views.ts'
export { readVault, type VaultRecord } from './vault.ts'
export { rewrapSealedFiles } from './rewrap-sealed.ts'
