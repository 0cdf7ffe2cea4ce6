/**
 * Machine readable zones: ICAO TD1 / TD2 / TD3, and the Chinese exit-entry layouts — the CS/CD
 * permit card (one 30-character line; its chip DG1 adds 60 more characters with a GBK-coded
 * Chinese name) and the CR/CT travel permit (three 30-character lines, not TD1). Check digits are
 * verified field by field; a failure makes the result invalid but still readable, so the clerk
 * can see which field is wrong. The Chinese layouts come from third-party readers and are not
 * confirmed against an official specification.
 */
import { CounterError } from '../../../shared/errors'

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'CS' | 'CR'
export type MrzSex = 'male' | 'female' | 'unspecified'

export interface MrzChecks {
  readonly documentNumber: boolean
  readonly birthDate: boolean
  readonly expiryDate: boolean
  readonly personalNumber?: boolean
  readonly composite?: boolean
}

export interface MrzData {
  readonly format: MrzFormat
  /** `P`, `PO`, `I`, `CS`, `CD`, `CR`, `CT`, `C<`… with fillers removed. */
  readonly documentCode: string
  readonly issuingState: string | undefined
  readonly documentNumber: string
  /** YYMMDD as printed. */
  readonly birthDate: string
  readonly expiryDate: string
  readonly sex: MrzSex
  readonly nationality: string | undefined
  readonly surname: string | undefined
  readonly givenNames: string | undefined
  readonly optionalData: string | undefined
  /** CS chip DG1: the Chinese name decoded from its GBK hex letters. */
  readonly chineseName?: string | undefined
  /** CS chip DG1: three-letter place-of-birth code. */
  readonly placeOfBirth?: string | undefined
  /** CR/CT: the holder's Hong Kong / Macao / Taiwan identity number. */
  readonly regionalIdNumber?: string | undefined
  readonly checks: MrzChecks
  readonly valid: boolean
  /** The MRZ information BAC and PACE use: number+check, birth+check, expiry+check. */
  readonly mrzInfo: string
}

function invalid(reason: string): CounterError {
  return new CounterError('EMRTD_MRZ_INVALID', { params: { reason } })
}

function charValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 55
  if (c === '<') return 0
  throw invalid(`非法字符“${c}”`)
}

/** The ICAO 7-3-1 check digit. */
export function checkDigit(text: string): number {
  const weights = [7, 3, 1]
  let sum = 0
  for (let i = 0; i < text.length; i++) sum += charValue(text[i]!) * weights[i % 3]!
  return sum % 10
}

function checks(field: string, digit: string | undefined): boolean {
  if (digit === undefined) return false
  // A filler check digit is allowed only over an all-filler field (unused optional data).
  if (digit === '<') return /^<*$/.test(field)
  return /^\d$/.test(digit) && checkDigit(field) === Number(digit)
}

function validDate(yymmdd: string): boolean {
  if (!/^\d{6}$/.test(yymmdd)) return false
  const m = Number(yymmdd.slice(2, 4))
  const d = Number(yymmdd.slice(4, 6))
  return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

const strip = (s: string) => s.replace(/<+$/g, '').replace(/^<+/g, '')

function names(field: string): { surname: string | undefined; givenNames: string | undefined } {
  const [sur, ...rest] = field.split('<<')
  const surname = strip(sur ?? '').replace(/</g, ' ')
  const given = strip(rest.join('<<')).replace(/<+/g, ' ').trim()
  return { surname: surname || undefined, givenNames: given || undefined }
}

function sexOf(c: string | undefined): MrzSex {
  return c === 'M' ? 'male' : c === 'F' ? 'female' : 'unspecified'
}

/** Number, birth, expiry — each followed by its check digit — as BAC wants it. */
export function mrzInformation(
  documentNumber: string,
  birthDate: string,
  expiryDate: string,
): string {
  const number = documentNumber.length < 9 ? documentNumber.padEnd(9, '<') : documentNumber
  return `${number}${checkDigit(number)}${birthDate}${checkDigit(birthDate)}${expiryDate}${checkDigit(expiryDate)}`
}

export interface MrzKeyFields {
  readonly documentNumber: string
  /** YYMMDD or YYYY-MM-DD. */
  readonly birthDate: string
  readonly expiryDate: string
}

function toYymmdd(value: string, field: string): string {
  const v = value.trim()
  const iso = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v)
  const out = iso ? iso[1]!.slice(2) + iso[2] + iso[3] : v
  if (!validDate(out)) throw invalid(`${field}应为 YYMMDD 或 YYYY-MM-DD 格式的有效日期`)
  return out
}

/** The three key fields entered by hand, normalised and checked; returns the MRZ information. */
export function mrzInfoFromFields(fields: MrzKeyFields): {
  mrzInfo: string
  documentNumber: string
  birthDate: string
  expiryDate: string
} {
  const documentNumber = fields.documentNumber.trim().toUpperCase().replace(/\s+/g, '')
  if (!/^[A-Z0-9<]{1,20}$/.test(documentNumber)) throw invalid('证件号码只能包含字母和数字')
  const birthDate = toYymmdd(fields.birthDate, '出生日期')
  const expiryDate = toYymmdd(fields.expiryDate, '有效期至')
  return {
    mrzInfo: mrzInformation(documentNumber, birthDate, expiryDate),
    documentNumber: documentNumber.replace(/<+$/, ''),
    birthDate,
    expiryDate,
  }
}

/** Parses a check-digit-bearing MRZ information string (`emrtd keys --mrz-info`). */
export function parseMrzInfo(info: string): MrzKeyFields {
  const v = info.trim().toUpperCase()
  const m = /^([A-Z0-9<]{9,})(\d)(\d{6})(\d)(\d{6})(\d)$/.exec(v)
  if (!m) throw invalid('应为 证件号码+校验位+出生日期+校验位+有效期至+校验位')
  const [, number, c1, birth, c2, expiry, c3] = m
  if (checkDigit(number!) !== Number(c1)) throw invalid('证件号码校验位不符')
  if (checkDigit(birth!) !== Number(c2)) throw invalid('出生日期校验位不符')
  if (checkDigit(expiry!) !== Number(c3)) throw invalid('有效期至校验位不符')
  return { documentNumber: number!, birthDate: birth!, expiryDate: expiry! }
}

/** Splits pasted text into MRZ lines: by newline, or a single run cut to a known layout. */
export function splitMrz(input: string | readonly string[]): string[] {
  const lines = (typeof input === 'string' ? input.split(/\r?\n/) : [...input])
    .map((l) => l.replace(/\s+/g, '').toUpperCase())
    .filter((l) => l.length > 0)
  if (lines.length !== 1) return lines
  const one = lines[0]!
  const cut = (n: number) =>
    Array.from({ length: one.length / n }, (_, i) => one.slice(i * n, (i + 1) * n))
  if (one.length === 88) return cut(44)
  if (one.length === 72) return cut(36)
  if (one.length === 90 && !/^C[SD]/.test(one)) return cut(30)
  return lines
}

/** Where a layout keeps the three fields BAC is keyed with, each followed by its check digit. */
interface KeyFields {
  readonly number: string
  readonly numberCheck: string | undefined
  readonly birth: string
  readonly birthCheck: string | undefined
  readonly expiry: string
  readonly expiryCheck: string | undefined
}

type LayoutFields = Omit<
  MrzData,
  'documentNumber' | 'birthDate' | 'expiryDate' | 'checks' | 'valid' | 'mrzInfo'
>

/** What every layout shares: the key fields' checks, validity and the MRZ information. */
function mrzData(
  key: KeyFields,
  fields: LayoutFields,
  more: { personalNumber?: boolean; composite?: boolean } = {},
): MrzData {
  const c: MrzChecks = {
    documentNumber: checks(key.number, key.numberCheck),
    birthDate: validDate(key.birth) && checks(key.birth, key.birthCheck),
    expiryDate: validDate(key.expiry) && checks(key.expiry, key.expiryCheck),
    ...more,
  }
  return {
    ...fields,
    documentNumber: strip(key.number),
    birthDate: key.birth,
    expiryDate: key.expiry,
    checks: c,
    valid: Object.values(c).every(Boolean),
    mrzInfo:
      key.number + key.numberCheck + key.birth + key.birthCheck + key.expiry + key.expiryCheck,
  }
}

/** TD3 (2 × 44) and TD2 (2 × 36) differ only in how far the optional data runs. */
function parseTd2Or3(l1: string, l2: string): MrzData {
  const td3 = l2.length === 44
  const last = l2.length - 1 // the composite check digit
  const optional = l2.slice(28, td3 ? 42 : last)
  return mrzData(
    {
      number: l2.slice(0, 9),
      numberCheck: l2[9],
      birth: l2.slice(13, 19),
      birthCheck: l2[19],
      expiry: l2.slice(21, 27),
      expiryCheck: l2[27],
    },
    {
      format: td3 ? 'TD3' : 'TD2',
      documentCode: strip(l1.slice(0, 2)),
      issuingState: strip(l1.slice(2, 5)) || undefined,
      sex: sexOf(l2[20]),
      nationality: strip(l2.slice(10, 13)) || undefined,
      ...names(l1.slice(5)),
      optionalData: strip(optional) || undefined,
    },
    {
      // Only TD3 gives its optional data (the personal number) a check digit of its own.
      ...(td3 ? { personalNumber: checks(optional, l2[42]) } : {}),
      composite: checks(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, last), l2[last]),
    },
  )
}

function parseTd1(l1: string, l2: string, l3: string): MrzData {
  let number = l1.slice(5, 14)
  let numberCheck = l1[14]
  let optional = l1.slice(15, 30)
  // A number longer than nine characters overflows into the optional data, ending with its check.
  if (numberCheck === '<' && /[A-Z0-9]/.test(optional[0] ?? '')) {
    const end = optional.indexOf('<')
    const overflow = end < 0 ? optional : optional.slice(0, end)
    number = number + overflow.slice(0, -1)
    numberCheck = overflow.slice(-1)
    optional = end < 0 ? '' : optional.slice(end)
  }
  return mrzData(
    {
      number,
      numberCheck,
      birth: l2.slice(0, 6),
      birthCheck: l2[6],
      expiry: l2.slice(8, 14),
      expiryCheck: l2[14],
    },
    {
      format: 'TD1',
      documentCode: strip(l1.slice(0, 2)),
      issuingState: strip(l1.slice(2, 5)) || undefined,
      sex: sexOf(l2[7]),
      nationality: strip(l2.slice(15, 18)) || undefined,
      ...names(l3),
      optionalData: strip(optional + l2.slice(18, 29)) || undefined,
    },
    {
      composite: checks(
        l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29),
        l2[29],
      ),
    },
  )
}

/** GBK bytes written as letters, one per nibble: 0–9 → A–J, A–F → K–P. */
export function decodeGbkLetters(field: string): string | undefined {
  const letters = field.replace(/<+$/, '')
  if (letters.length === 0 || letters.length % 2 !== 0 || !/^[A-P]+$/.test(letters))
    return undefined
  const bytes = new Uint8Array(letters.length / 2)
  for (let i = 0; i < bytes.length; i++) {
    const hi = letters.charCodeAt(2 * i) - 65
    const lo = letters.charCodeAt(2 * i + 1) - 65
    bytes[i] = (hi << 4) | lo
  }
  try {
    return new TextDecoder('gbk', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

export function encodeGbkLetters(text: string, width: number): string {
  const bytes = gbkEncode(text)
  let out = ''
  for (const b of bytes) out += String.fromCharCode(65 + (b >> 4), 65 + (b & 15))
  if (out.length > width) throw new RangeError('name too long for the field')
  return out.padEnd(width, '<')
}

/** GBK encoding of CJK text, by inverting the platform's GBK decoder (no table shipped). */
function gbkEncode(text: string): Uint8Array {
  const decoder = new TextDecoder('gbk')
  const out: number[] = []
  for (const ch of text) {
    let found = false
    for (let hi = 0x81; hi <= 0xfe && !found; hi++) {
      for (let lo = 0x40; lo <= 0xfe; lo++) {
        if (lo === 0x7f) continue
        if (decoder.decode(Uint8Array.of(hi, lo)) === ch) {
          out.push(hi, lo)
          found = true
          break
        }
      }
    }
    if (!found) throw new RangeError(`no GBK code for ${ch}`)
  }
  return Uint8Array.from(out)
}

/**
 * The CS/CD card: a 30-character line (`CS` + number + check, `<`, expiry + check, `<`, birth +
 * check, `<`, composite); the chip's DG1 continues with a 12-letter GBK name, an 18-character
 * pinyin name, sex, 5 obsolete and 2 flag characters and a 3-letter place of birth.
 */
function parseCs(line: string): MrzData {
  const chip = line.length >= 90
  return mrzData(
    {
      number: line.slice(2, 11),
      numberCheck: line[11],
      birth: line.slice(21, 27),
      birthCheck: line[27],
      expiry: line.slice(13, 19),
      expiryCheck: line[19],
    },
    {
      format: 'CS',
      documentCode: strip(line.slice(0, 2)),
      issuingState: 'CHN',
      sex: chip ? sexOf(line[60]) : 'unspecified',
      nationality: 'CHN',
      ...(chip ? names(line.slice(42, 60)) : { surname: undefined, givenNames: undefined }),
      optionalData: undefined,
      chineseName: chip ? decodeGbkLetters(line.slice(30, 42)) : undefined,
      placeOfBirth: chip ? strip(line.slice(68, 71)) || undefined : undefined,
    },
    { composite: checks(line.slice(2, 12) + line.slice(13, 20) + line.slice(21, 28), line[29]) },
  )
}

/**
 * CR/CT: line 1 type, number + check, expiry + check at 15, sex at 22, birth + check at 23;
 * the older `C<` card has an 11-character number (H/M, 8 digits, 2-digit renewal count).
 * Line 2 holds the regional ID number from position 19, line 3 the name.
 */
function parseCr(l1: string, l2: string, l3: string): MrzData {
  const old = l1.slice(0, 2) === 'C<'
  return mrzData(
    {
      number: old ? l1.slice(2, 13) : l1.slice(2, 11),
      numberCheck: old ? l1[13] : l1[11],
      birth: l1.slice(23, 29),
      birthCheck: l1[29],
      expiry: l1.slice(15, 21),
      expiryCheck: l1[21],
    },
    {
      format: 'CR',
      documentCode: strip(l1.slice(0, 2)) || 'C',
      issuingState: 'CHN',
      sex: sexOf(l1[22]),
      nationality: undefined,
      ...names(l3),
      optionalData: undefined,
      regionalIdNumber: strip(l2.slice(19, 30)) || undefined,
    },
  )
}

/** Parses an MRZ from its lines (or one pasted block). Throws EMRTD_MRZ_INVALID if no layout fits. */
export function parseMrz(input: string | readonly string[]): MrzData {
  const lines = splitMrz(input)
  for (const l of lines) if (!/^[A-Z0-9<]+$/.test(l)) throw invalid('只能包含大写字母、数字和“<”')
  const lens = lines.map((l) => l.length).join('x')
  const [l1 = '', l2 = '', l3 = ''] = lines
  if (lines.length === 1 && /^C[SD]/.test(l1) && (l1.length === 30 || l1.length === 90))
    return parseCs(l1)
  if (lens === '44x44' || lens === '36x36') return parseTd2Or3(l1, l2)
  if (lens === '30x30x30') return /^C[RT<]/.test(l1) ? parseCr(l1, l2, l3) : parseTd1(l1, l2, l3)
  throw invalid(`无法识别的机读码格式（${lines.length} 行，长度 ${lens || 0}）`)
}

/** DG1's MRZ string (no line breaks) as the chip stores it. */
export function parseChipMrz(text: string): MrzData {
  if (/^C[SD]/.test(text) && text.length === 90) return parseCs(text)
  if (text.length === 88) return parseMrz([text.slice(0, 44), text.slice(44)])
  if (text.length === 72) return parseMrz([text.slice(0, 36), text.slice(36)])
  if (text.length === 90) return parseMrz([text.slice(0, 30), text.slice(30, 60), text.slice(60)])
  throw invalid(`芯片机读码长度 ${text.length} 无法识别`)
}

/**
 * YYMMDD → YYYY-MM-DD. Birth dates are never in the future; expiry dates fall within fifty years
 * either side of today.
 */
export function mrzDateToIso(
  yymmdd: string,
  kind: 'birth' | 'expiry',
  today: Date = new Date(),
): string | undefined {
  if (!validDate(yymmdd)) return undefined
  const yy = Number(yymmdd.slice(0, 2))
  const thisYear = today.getUTCFullYear()
  let year = 2000 + yy
  if (kind === 'birth') {
    const iso = `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`
    if (iso > today.toISOString().slice(0, 10)) year -= 100
  } else if (year - thisYear > 50) year -= 100
  return `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`
}
