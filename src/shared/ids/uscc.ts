/**
 * Unified social credit codes (GB 32100). Characters 9–17 are an organisation code with its own
 * GB 11714 check; a few real codes fail one of the checks, so callers warn rather than block.
 */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const

export interface UsccCheck {
  readonly kind: 'uscc'
  readonly valid: boolean
  readonly expected?: string
  /** The embedded organisation code's own check (GB 11714). */
  readonly organisationCodeValid?: boolean
  readonly reason?: 'format' | 'check-character'
}

export function isUsccShape(value: string): boolean {
  return value.length === 18 && [...value].every((c) => USCC_CHARSET.includes(c))
}

export function usccCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!
  const c = 31 - (sum % 31)
  return USCC_CHARSET[c === 31 ? 0 : c]!
}

function orgCharValue(c: string): number {
  const code = c.charCodeAt(0)
  return code <= 57 ? code - 48 : code - 55
}

export function organisationCodeCheckChar(body8: string): string {
  let sum = 0
  for (let i = 0; i < 8; i++) sum += orgCharValue(body8[i]!) * ORG_WEIGHTS[i]!
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}

export function checkUscc(raw: string): UsccCheck {
  const value = raw.trim().toUpperCase()
  if (!isUsccShape(value)) return { kind: 'uscc', valid: false, reason: 'format' }
  const organisationCodeValid = organisationCodeCheckChar(value.slice(8, 16)) === value[16]
  const expected = usccCheckChar(value.slice(0, 17))
  if (expected !== value[17]) {
    return {
      kind: 'uscc',
      valid: false,
      expected,
      organisationCodeValid,
      reason: 'check-character',
    }
  }
  return { kind: 'uscc', valid: true, organisationCodeValid }
}

/** Completes a 16-character prefix (registration dept, type, region, organisation body) into a valid USCC. */
export function completeUscc(prefix16: string): string {
  const withOrg = prefix16 + organisationCodeCheckChar(prefix16.slice(8, 16))
  return withOrg + usccCheckChar(withOrg)
}
