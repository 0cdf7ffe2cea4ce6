/** Staff sign-in with CA keys, roles from the roster, the lock, and enterprise applicants. */
export { createChallenge, signAlgorithmFor, verifyChallenge, type Challenge } from './challenge'
export { ENTERPRISE_HOLDER_TYPE, EnterpriseApplicants } from './enterprise'
export { createAuthModule, identityMapping, type AuthControl, type AuthModule } from './module'
export { PinGuard } from './pin-guard'
export { createProviders, SIMULATED_PROVIDER_ID } from './providers'
export {
  parseRosterFile,
  RosterFileSchema,
  RosterService,
  type Roster,
  type RosterFile,
  type RosterSource,
} from './roster'
export { AuthService, type AuthServiceOptions, type ReadKey } from './service'
export { StaffSession, type Staff, type StaffRole } from './staff'
