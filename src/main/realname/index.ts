/** The exit-entry document identity authentication platform: signed real-name and real-person checks. */
export {
  createRealnameClient,
  type NameQuery,
  type PersonQuery,
  type RealnameClient,
  type RealnameClientOptions,
} from './client'
export { loadUnitCredentials } from './credentials'
export { createRealnameModule, type ChipHolderIdentity, type RealnameModuleOptions } from './module'
export {
  HEADER,
  signingString,
  signRequest,
  verifyRequestSignature,
  type UnitCredentials,
} from './signing'
export {
  REALNAME_PATHS,
  WireNameRequestSchema,
  WirePersonRequestSchema,
  WireResponseSchema,
  type WireNameRequest,
  type WirePersonRequest,
  type WireResponse,
} from './wire'
