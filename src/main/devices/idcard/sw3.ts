/** SW3 (SAM status) codes and the error each one means for the clerk. */
import { CounterError, type ErrorCode } from '../../../shared/errors'

/** Every SW3 the reference documents that is not a success, each with its own error. */
export const SW3_ERRORS: Readonly<Record<number, ErrorCode>> = {
  0x10: 'IDCARD_SAM_BAD_CHECKSUM',
  0x11: 'IDCARD_SAM_BAD_LENGTH',
  0x21: 'IDCARD_SAM_BAD_COMMAND',
  0x23: 'IDCARD_SAM_NOT_PERMITTED',
  0x24: 'IDCARD_SAM_UNKNOWN_ERROR',
  0x31: 'IDCARD_AUTH_CARD_TO_SAM',
  0x32: 'IDCARD_AUTH_SAM_TO_CARD',
  0x33: 'IDCARD_VERIFY_FAILED',
  0x40: 'IDCARD_NOT_IDENTITY_CARD',
  0x41: 'IDCARD_READ_FAILED',
  0x47: 'IDCARD_RANDOM_FAILED',
  0x60: 'IDCARD_SAM_SELFTEST_FAILED',
  0x66: 'IDCARD_SAM_NOT_AUTHORISED',
  0x80: 'IDCARD_NO_CARD',
  0x81: 'IDCARD_SELECT_FAILED',
  0x91: 'IDCARD_NO_CONTENT',
}

/**
 * Failures after which the SAM is reset before the next attempt: the reader's state is suspect
 * (a hung card, a garbled exchange, an internal error), and a reset is what recovers it.
 */
export const RESET_AFTER: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'IDCARD_TIMEOUT',
  'IDCARD_FRAME_TRUNCATED',
  'IDCARD_RESPONSE_UNEXPECTED',
  'IDCARD_SAM_UNKNOWN_ERROR',
  'IDCARD_RANDOM_FAILED',
  'IDCARD_SAM_SELFTEST_FAILED',
  'IDCARD_SAM_BAD_CHECKSUM',
  'IDCARD_SAM_BAD_LENGTH',
])

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0')
}

export function sw3Error(sw3: number, command: string): CounterError {
  const code = SW3_ERRORS[sw3] ?? 'IDCARD_SAM_STATUS'
  return new CounterError(code, {
    params: { sw3: hex2(sw3) },
    detail: `${command}: SW3=${hex2(sw3)}`,
  })
}
