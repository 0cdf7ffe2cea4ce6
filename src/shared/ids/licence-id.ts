/**
 * E-licence identifiers (GB/T 36904):
 * `1.2.156.3005.2.<type code 21>.<issuer USCC 18>.<serial>.<version 3>.<check>`, the check being
 * ISO/IEC 7064 MOD 37,36 over type code + issuer + serial + version without the dots.
 */

export const LICENCE_ID_PREFIX = '1.2.156.3005.2.'

export interface LicenceIdParts {
  readonly typeCode: string
  readonly issuerCode: string
  readonly serial: string
  readonly version: string
}

export interface LicenceIdCheck {
  readonly kind: 'licence-id'
  readonly valid: boolean
  readonly expected?: string
  readonly parts?: LicenceIdParts
  readonly reason?: 'format' | 'check-character'
}

function mod3736Value(c: string): number {
  const code = c.charCodeAt(0)
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 90) return code - 55
  return -1
}

/** The MOD 37,36 check character for `data` (0–9, A–Z), or undefined if it holds anything else. */
export function mod3736CheckChar(data: string): string | undefined {
  let p = 36
  for (const c of data) {
    const v = mod3736Value(c)
    if (v < 0) return undefined
    let t = (p + v) % 36
    if (t === 0) t = 36
    p = (2 * t) % 37
  }
  const check = (37 - p) % 36
  return check < 10 ? String(check) : String.fromCharCode(55 + check)
}

const SHAPE =
  /^1\.2\.156\.3005\.2\.([0-9A-Z]{21})\.([0-9A-Z]{18})\.([0-9A-Z]+)\.(\d{3})\.([0-9A-Z])$/

export function isLicenceIdShape(value: string): boolean {
  return value.startsWith(LICENCE_ID_PREFIX)
}

export function parseLicenceId(raw: string): LicenceIdCheck {
  const value = raw.trim().toUpperCase()
  const m = SHAPE.exec(value)
  if (!m) return { kind: 'licence-id', valid: false, reason: 'format' }
  const parts: LicenceIdParts = {
    typeCode: m[1]!,
    issuerCode: m[2]!,
    serial: m[3]!,
    version: m[4]!,
  }
  const expected = mod3736CheckChar(
    parts.typeCode + parts.issuerCode + parts.serial + parts.version,
  )
  if (expected !== m[5]) {
    return { kind: 'licence-id', valid: false, expected, parts, reason: 'check-character' }
  }
  return { kind: 'licence-id', valid: true, parts }
}

export function makeLicenceId(parts: LicenceIdParts): string {
  const body = parts.typeCode + parts.issuerCode + parts.serial + parts.version
  const check = mod3736CheckChar(body)
  if (check === undefined || !/^\d{3}$/.test(parts.version)) {
    throw new RangeError('licence identifier parts must be 0-9/A-Z and a 3-digit version')
  }
  return `${LICENCE_ID_PREFIX}${parts.typeCode}.${parts.issuerCode}.${parts.serial}.${parts.version}.${check}`
}
