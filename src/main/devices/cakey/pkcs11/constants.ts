/** PKCS#11 v2.40 values the app uses. */

export const CKR = {
  OK: 0x0,
  SLOT_ID_INVALID: 0x3,
  GENERAL_ERROR: 0x5,
  ARGUMENTS_BAD: 0x7,
  ATTRIBUTE_SENSITIVE: 0x11,
  ATTRIBUTE_TYPE_INVALID: 0x12,
  DEVICE_ERROR: 0x30,
  DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32,
  FUNCTION_NOT_SUPPORTED: 0x54,
  KEY_HANDLE_INVALID: 0x60,
  MECHANISM_INVALID: 0x70,
  OBJECT_HANDLE_INVALID: 0x82,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_EXPIRED: 0xa3,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  TOKEN_NOT_RECOGNIZED: 0xe1,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  BUFFER_TOO_SMALL: 0x150,
  CRYPTOKI_NOT_INITIALIZED: 0x190,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const

const NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(CKR).map(([name, code]) => [code, `CKR_${name}`]),
)

export function ckrName(rv: number): string {
  return NAMES[rv] ?? `0x${rv.toString(16).toUpperCase()}`
}

export const CKF = {
  TOKEN_PRESENT: 0x1,
  RW_SESSION: 0x2,
  SERIAL_SESSION: 0x4,
  OS_LOCKING_OK: 0x2,
  LOGIN_REQUIRED: 0x4,
  TOKEN_INITIALIZED: 0x400,
  USER_PIN_COUNT_LOW: 0x10000,
  USER_PIN_FINAL_TRY: 0x20000,
  USER_PIN_LOCKED: 0x40000,
} as const

export const CKU_USER = 1

export const CKO = { CERTIFICATE: 1, PRIVATE_KEY: 3 } as const
export const CKC_X_509 = 0
export const CKK = { RSA: 0, EC: 3 } as const

export const CKA = {
  CLASS: 0x0,
  LABEL: 0x3,
  VALUE: 0x11,
  CERTIFICATE_TYPE: 0x80,
  KEY_TYPE: 0x100,
  ID: 0x102,
} as const

export const CKM = {
  RSA_PKCS: 0x1,
  ECDSA: 0x1041,
} as const

/** The order of CK_FUNCTION_LIST (v2.x): the binding reads function pointers by position. */
export const FUNCTION_LIST = [
  'C_Initialize',
  'C_Finalize',
  'C_GetInfo',
  'C_GetFunctionList',
  'C_GetSlotList',
  'C_GetSlotInfo',
  'C_GetTokenInfo',
  'C_GetMechanismList',
  'C_GetMechanismInfo',
  'C_InitToken',
  'C_InitPIN',
  'C_SetPIN',
  'C_OpenSession',
  'C_CloseSession',
  'C_CloseAllSessions',
  'C_GetSessionInfo',
  'C_GetOperationState',
  'C_SetOperationState',
  'C_Login',
  'C_Logout',
  'C_CreateObject',
  'C_CopyObject',
  'C_DestroyObject',
  'C_GetObjectSize',
  'C_GetAttributeValue',
  'C_SetAttributeValue',
  'C_FindObjectsInit',
  'C_FindObjects',
  'C_FindObjectsFinal',
  'C_EncryptInit',
  'C_Encrypt',
  'C_EncryptUpdate',
  'C_EncryptFinal',
  'C_DecryptInit',
  'C_Decrypt',
  'C_DecryptUpdate',
  'C_DecryptFinal',
  'C_DigestInit',
  'C_Digest',
  'C_DigestUpdate',
  'C_DigestKey',
  'C_DigestFinal',
  'C_SignInit',
  'C_Sign',
] as const
