import { maskIdNumber } from '../../shared/ids'

/**
 * Anything that looks like a citizen ID (18 characters, or the old 15 digits) is masked before it
 * reaches a log line, whatever path it took to get there.
 */
const ID_LIKE = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g

export function redact(text: string): string {
  return text.replace(ID_LIKE, (m) => maskIdNumber(m))
}
