/**
 * Licence identifiers (GB/T 36904) for what this terminal issues:
 * `1.2.156.3005.2.<type>.<issuer USCC>.<serial>.<version>.<MOD 37,36 check>`.
 *
 * The serial must not collide with any other terminal's, even when both issue offline at the
 * same moment, nor with this terminal's own earlier serials after its database is lost. So it is
 * `<terminal tag><12 digits>`: the tag encodes the configured terminal id injectively (distinct ids
 * give distinct tags, and the fixed-width tail makes the split unambiguous), and the 12 digits are
 * a counter that never goes below the clock in centiseconds since 2020 — a terminal restored from
 * nothing starts above everything it issued before, as long as its clock was not set back.
 */
import { makeLicenceId } from '../../shared/ids'
import { CounterError } from '../../shared/errors'
import type { Db } from '../db'

const COUNTER_DIGITS = 12
const COUNTER_EPOCH_MS = Date.UTC(2020, 0, 1)
const COUNTER_MAX = 10 ** COUNTER_DIGITS - 1

/**
 * Terminal ids are `[A-Za-z0-9-]`; serials may only hold `[0-9A-Z]`. `V` (which starts no pinyin
 * syllable, so ids rarely contain it) is the escape: `V` → `VV`, `-` → `V0`, a lowercase letter
 * → `V1` + the letter. Every other character stays as it is, so `ZZ-JS-03` → `ZZV0JSV003`.
 */
export function terminalTag(terminalId: string): string {
  if (!/^[A-Za-z0-9-]{1,32}$/.test(terminalId)) throw new RangeError('bad terminal id')
  let out = ''
  for (const c of terminalId) {
    if (c === 'V') out += 'VV'
    else if (c === '-') out += 'V0'
    else if (c >= 'a' && c <= 'z') out += 'V1' + c.toUpperCase()
    else out += c
  }
  return out
}

/** The inverse of terminalTag, for tests and for reading a serial back. */
export function terminalIdFromTag(tag: string): string | undefined {
  let out = ''
  for (let i = 0; i < tag.length; i++) {
    const c = tag[i]!
    if (c !== 'V') {
      out += c
      continue
    }
    const n = tag[++i]
    if (n === 'V') out += 'V'
    else if (n === '0') out += '-'
    else if (n === '1' && i + 1 < tag.length && /[A-Z]/.test(tag[i + 1]!))
      out += tag[++i]!.toLowerCase()
    else return undefined
  }
  return out
}

export function splitSerial(serial: string): { tag: string; counter: number } | undefined {
  if (serial.length <= COUNTER_DIGITS) return undefined
  const tail = serial.slice(-COUNTER_DIGITS)
  if (!/^\d+$/.test(tail)) return undefined
  return { tag: serial.slice(0, -COUNTER_DIGITS), counter: Number(tail) }
}

/**
 * The next serial for this terminal. Runs inside the caller's transaction, so the counter moves
 * only if the issuance commits.
 */
export function nextSerial(db: Db, terminalId: string, nowMs = Date.now()): string {
  const tag = terminalTag(terminalId)
  const row = db
    .prepare('SELECT last_value FROM issuance_serials WHERE terminal_tag = ?')
    .get(tag) as { last_value: number } | undefined
  const clock = Math.floor((nowMs - COUNTER_EPOCH_MS) / 10)
  const next = Math.max((row?.last_value ?? 0) + 1, clock)
  if (next > COUNTER_MAX) throw new CounterError('ISSUANCE_SERIAL_EXHAUSTED')
  db.prepare(
    `INSERT INTO issuance_serials (terminal_tag, last_value) VALUES (?, ?)
     ON CONFLICT (terminal_tag) DO UPDATE SET last_value = excluded.last_value`,
  ).run(tag, next)
  return tag + String(next).padStart(COUNTER_DIGITS, '0')
}

/** The identifier with the standard MOD 37,36 check (never a provincial variant when issuing). */
export function licenceIdentifier(typeCode: string, issuerCode: string, serial: string): string {
  return makeLicenceId({ typeCode, issuerCode, serial, version: '001' })
}
