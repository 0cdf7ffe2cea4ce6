import type { HolderView } from '../../shared/domain'

/** The applicant at the window. `code` is the full identity number: it never leaves the core. */
export interface Applicant {
  readonly kind: 'person' | 'enterprise'
  readonly code: string
  readonly holderTypeCode: string
  readonly name: string
  readonly view: HolderView
}
