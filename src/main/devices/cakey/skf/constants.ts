/** GM/T 0016 return codes and constants the app relies on. */

export const SAR = {
  OK: 0x00000000,
  FAIL: 0x0a000001,
  UNKNOWNERR: 0x0a000002,
  NOTSUPPORTYETERR: 0x0a000003,
  INVALIDHANDLEERR: 0x0a000005,
  INVALIDPARAMERR: 0x0a000006,
  NOTINITIALIZEERR: 0x0a00000c,
  TIMEOUTERR: 0x0a00000f,
  KEYNOTFOUNTERR: 0x0a00001b,
  CERTNOTFOUNTERR: 0x0a00001c,
  BUFFER_TOO_SMALL: 0x0a000020,
  NOT_EVENTERR: 0x0a000022,
  DEVICE_REMOVED: 0x0a000023,
  PIN_INCORRECT: 0x0a000024,
  PIN_LOCKED: 0x0a000025,
  PIN_INVALID: 0x0a000026,
  PIN_LEN_RANGE: 0x0a000027,
  USER_ALREADY_LOGGED_IN: 0x0a000028,
  USER_NOT_LOGGED_IN: 0x0a00002d,
  APPLICATION_NOT_EXISTS: 0x0a00002e,
} as const

export const SAR_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(SAR).map(([name, code]) => [code, `SAR_${name}`]),
)

export function sarName(rv: number): string {
  return SAR_NAMES[rv] ?? `0x${rv.toString(16).padStart(8, '0').toUpperCase()}`
}

export const PIN_TYPE = { ADMIN: 0, USER: 1 } as const

/** SKF_WaitForDevEvent's event values. */
export const DEV_EVENT = { INSERTED: 1, REMOVED: 2 } as const

/** SKF_GetContainerType's values. */
export const CONTAINER_TYPE = { EMPTY: 0, RSA: 1, ECC: 2 } as const

/**
 * Algorithm identifiers (GM/T 0006). Vendor headers disagree on some (`SGD_SM2_1` is 0x00020100
 * in many, 0x00020200 in others), so these are only defaults: the configuration can change each.
 */
export interface SkfAlgorithmIds {
  /** SGD_SM2_1: checked against the key's DEVINFO.AlgAsymCap. */
  readonly sm2Sign: number
  /** SGD_SM3: for SKF_DigestInit when the key computes e = SM3(Z‖M) itself. */
  readonly sm3: number
}

export const DEFAULT_ALGORITHM_IDS: SkfAlgorithmIds = {
  sm2Sign: 0x00020100,
  sm3: 0x00000001,
}

/** The coordinate field width in ECC blobs (ECC_MAX_XCOORDINATE_BITS_LEN / 8). */
export const ECC_FIELD = 64
export const ECC_PUBLIC_BLOB_SIZE = 4 + 2 * ECC_FIELD
export const ECC_SIGNATURE_BLOB_SIZE = 2 * ECC_FIELD
