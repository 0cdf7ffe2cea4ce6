import { checkCitizenId, isCitizenIdShape, type CitizenIdCheck } from './citizen-id'
import { isLicenceIdShape, parseLicenceId, type LicenceIdCheck } from './licence-id'
import { checkUscc, type UsccCheck } from './uscc'

export * from './citizen-id'
export * from './licence-id'
export * from './mask'
export * from './uscc'

export type IdentifierCheck =
  CitizenIdCheck | UsccCheck | LicenceIdCheck | { readonly kind: 'unknown'; readonly valid: false }

/** Recognises what kind of identifier a value is by its shape, then checks it. */
export function checkIdentifier(raw: string): IdentifierCheck {
  const value = raw.trim().toUpperCase()
  if (isLicenceIdShape(value)) return parseLicenceId(value)
  if (isCitizenIdShape(value)) return checkCitizenId(value)
  if (value.length === 18) return checkUscc(value)
  return { kind: 'unknown', valid: false }
}
