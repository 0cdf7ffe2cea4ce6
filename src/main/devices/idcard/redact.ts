/**
 * Personal data out of reader transcripts. A transcript goes to field engineers, so unless
 * personal data is explicitly asked for, the answers to the read commands are rewritten before
 * they are written down: the frame keeps its length, status, layout and type flag, and still
 * parses as a card of the same type, but names and addresses become placeholder characters of
 * the same length, numbers keep only their region (and whether their check digit was right, and
 * the sex digit's parity), the birth date becomes 1900-01-01, and photo and fingerprints become
 * zeros (an image keeps its header, so its format still shows). Sex, nation, validity, issuing
 * authority and nationality are kept: they drive the app's tables and warnings, and say nothing
 * about who the holder is on their own. Everything else the reader says passes unchanged.
 */
import { checkCitizenId, citizenIdCheckChar, isCitizenIdShape } from '../../../shared/ids'
import { Sw3 } from './commands'
import {
  encodeResponse,
  HEADER_LENGTH,
  MAX_IMAGE_BODY_LENGTH,
  parseRequestFrame,
  parseResponseFrame,
} from './frame'
import { photoFormat } from './photo/format'
import { FLAG_OFFSET, TEXT_LAYOUTS, TEXT_LENGTH, TYPE_FLAGS } from './text'

/** 某: the placeholder for every character that is not ASCII. */
const PLACEHOLDER = 0x67d0
const MASKED_BIRTH = '19000101'
const READ = 0x30
const APPENDED_ADDRESS = 0x03
const WITH_FINGERPRINT = 0x10

const unitAt = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8)
function setUnit(b: Uint8Array, at: number, unit: number): void {
  b[at] = unit & 0xff
  b[at + 1] = unit >> 8
}

function maskUnit(u: number): number {
  if (u === 0x20 || u === 0) return u // padding: keeps the field's length visible
  if (u >= 0x30 && u <= 0x39) return 0x30
  if (u >= 0x41 && u <= 0x5a) return 0x58 // X
  if (u >= 0x61 && u <= 0x7a) return 0x78 // x
  if (u > 0x20 && u < 0x7f) return u // punctuation shows how a name is written
  return PLACEHOLDER
}

/** Every character of `[from, to)` replaced, UTF-16 unit by unit. */
function maskChars(b: Uint8Array, from: number, to: number): void {
  for (let at = from; at + 1 < to; at += 2) setUnit(b, at, maskUnit(unitAt(b, at)))
}

function readUnits(b: Uint8Array, from: number, to: number): string {
  let s = ''
  for (let at = from; at + 1 < to; at += 2) s += String.fromCharCode(unitAt(b, at))
  return s.replace(/[ \0]+$/, '')
}

function writeUnits(b: Uint8Array, from: number, text: string): void {
  for (let i = 0; i < text.length; i++) setUnit(b, from + i * 2, text.charCodeAt(i))
}

function maskBirth(b: Uint8Array, from: number, to: number): void {
  if (/^\d{8}$/.test(readUnits(b, from, to))) writeUnits(b, from, MASKED_BIRTH)
  else maskChars(b, from, to)
}

/**
 * A card, permit or passport number: long numbers keep their region (6), short ones their
 * first character. An 18-character citizen-style number stays one: masked birth date, the sex
 * digit's parity, and a check character that is right exactly when the original's was.
 */
function maskNumber(b: Uint8Array, from: number, to: number): void {
  const original = readUnits(b, from, to)
  const keep = original.length >= 15 ? 6 : 1
  maskChars(b, from + keep * 2, to)
  if (!isCitizenIdShape(original)) return
  const digits = readUnits(b, from, to).split('')
  digits.splice(6, 8, ...MASKED_BIRTH)
  digits[16] = Number(original[16]) % 2 === 1 ? '1' : '0'
  const check = citizenIdCheckChar(digits.slice(0, 17).join(''))
  digits[17] = checkCitizenId(original).valid ? check : check === '0' ? '1' : '0'
  writeUnits(b, from, digits.join(''))
}

const CHARS = new Set(['name', 'englishName', 'address'])
const NUMBERS = new Set(['idNumber', 'passNumber', 'previousCardNumber'])

/** The 256-byte text block, field by field in its layout; an unknown layout loses all of it. */
function maskText(text: Uint8Array): void {
  const flag = readUnits(text, FLAG_OFFSET, FLAG_OFFSET + 2)
  const type = (Object.keys(TYPE_FLAGS) as (keyof typeof TEXT_LAYOUTS)[]).find(
    (t) => TYPE_FLAGS[t].trim() === flag,
  )
  if (!type) return maskChars(text, 0, FLAG_OFFSET)
  const layout: Readonly<Record<string, readonly [number, number]>> = TEXT_LAYOUTS[type]
  for (const [name, [offset, length]] of Object.entries(layout)) {
    if (CHARS.has(name)) maskChars(text, offset, offset + length)
    else if (NUMBERS.has(name)) maskNumber(text, offset, offset + length)
    else if (name === 'birth') maskBirth(text, offset, offset + length)
  }
}

/** Bytes of an image that only say what it is (magic and size): kept so the format still shows. */
function imageHeaderLength(photo: Uint8Array): number {
  switch (photoFormat(photo)) {
    case 'bmp':
      return Math.min(54, photo.length)
    case 'jpeg':
      return 3
    case 'png':
      return 8
    default:
      return 0
  }
}

/** `30 01` / `30 10` data: length words, text, photo (, fingerprints). */
function maskReadData(data: Uint8Array, words: number): void {
  const lengths = Array.from({ length: words }, (_, i) => (data[i * 2]! << 8) | data[i * 2 + 1]!)
  const head = words * 2
  if (data.length < head || head + lengths.reduce((a, b) => a + b, 0) !== data.length) {
    data.fill(0, Math.min(head, data.length)) // not the layout we know: keep nothing
    return
  }
  const [textLength = 0, photoLength = 0] = lengths
  const text = data.subarray(head, head + textLength)
  if (text.length === TEXT_LENGTH) maskText(text)
  else maskChars(text, 0, text.length)
  const photo = data.subarray(head + textLength, head + textLength + photoLength)
  photo.fill(0, imageHeaderLength(photo))
  data.fill(0, head + textLength + photoLength) // fingerprints
}

/**
 * The answer as a transcript may show it: a read answer with the holder's data masked (checksum
 * recomputed, so it replays); every other answer unchanged.
 */
export function redactExchange(request: Uint8Array, response: Uint8Array): Uint8Array {
  let cmd: number
  let para: number
  try {
    ;({ cmd, para } = parseRequestFrame(request))
  } catch {
    return response
  }
  if (cmd !== READ) return response
  let parsed: ReturnType<typeof parseResponseFrame>
  try {
    parsed = parseResponseFrame(response, MAX_IMAGE_BODY_LENGTH)
  } catch {
    // Not a whole frame: nothing in it can be trusted to be harmless.
    const blank = response.slice()
    blank.fill(0, Math.min(blank.length, HEADER_LENGTH + 3))
    return blank
  }
  const data = parsed.data.slice()
  if (parsed.sw3 !== Sw3.success) data.fill(0)
  else if (para === APPENDED_ADDRESS) maskChars(data, 0, data.length)
  else maskReadData(data, para === WITH_FINGERPRINT ? 3 : 2)
  return encodeResponse(parsed.sw3, data, parsed.sw1, parsed.sw2)
}
