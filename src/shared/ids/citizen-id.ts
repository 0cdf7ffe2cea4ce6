/** Citizen identity numbers (GB 11643): ISO 7064 MOD 11-2 over the first 17 digits. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

export interface CitizenIdCheck {
  readonly kind: 'citizen-id'
  readonly valid: boolean
  /** The check character the first 17 digits call for, when the last one is wrong. */
  readonly expected?: string
  readonly birthDate?: string
  readonly sex?: 'male' | 'female'
  readonly region?: string
  readonly reason?: 'format' | 'birth-date' | 'check-character'
}

export function citizenIdCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!
  return CHECK_CHARS[sum % 11]!
}

export function isCitizenIdShape(value: string): boolean {
  return /^\d{17}[\dX]$/i.test(value)
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4))
  const m = Number(yyyymmdd.slice(4, 6))
  const d = Number(yyyymmdd.slice(6, 8))
  if (y < 1850 || m < 1 || m > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate()
}

export function checkCitizenId(raw: string): CitizenIdCheck {
  const value = raw.trim().toUpperCase()
  if (!isCitizenIdShape(value)) return { kind: 'citizen-id', valid: false, reason: 'format' }
  const birth = value.slice(6, 14)
  const facts = {
    region: value.slice(0, 6),
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(value[16]) % 2 === 1 ? ('male' as const) : ('female' as const),
  }
  if (!isRealDate(birth)) return { kind: 'citizen-id', valid: false, reason: 'birth-date' }
  const expected = citizenIdCheckChar(value.slice(0, 17))
  if (expected !== value[17]) {
    return { kind: 'citizen-id', valid: false, expected, reason: 'check-character', ...facts }
  }
  return { kind: 'citizen-id', valid: true, ...facts }
}
