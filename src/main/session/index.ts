export type { Applicant } from './applicant'
export { applicantFromIdCard } from './holder-from-card'
export { ApplicantSession, type Scope } from './session'
