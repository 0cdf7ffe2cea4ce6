/**
 * The 256-byte text block (UTF-16LE, space-padded) in its four layouts, chosen by the type flag
 * at byte 248: space = resident card, `J` = HK/Macau/Taiwan residence permit, `I` = 2017 and
 * `Y` = 2023 foreigner permanent residence card. The layouts are data so that the simulator
 * writes exactly what this parser reads.
 */
import { CounterError } from '../../../shared/errors'
import type { IdCardType, Sex } from '../../../shared/domain'
import { nationName } from './nations'

export const TEXT_LENGTH = 256
export const FLAG_OFFSET = 248

type Field = readonly [offset: number, length: number]

export const TEXT_LAYOUTS = {
  resident: {
    name: [0, 30],
    sex: [30, 2],
    nation: [32, 4],
    birth: [36, 16],
    address: [52, 70],
    idNumber: [122, 36],
    authority: [158, 30],
    validFrom: [188, 16],
    validTo: [204, 16],
  },
  J: {
    name: [0, 30],
    sex: [30, 2],
    birth: [36, 16],
    address: [52, 70],
    idNumber: [122, 36],
    authority: [158, 30],
    validFrom: [188, 16],
    validTo: [204, 16],
    passNumber: [220, 18],
    issueCount: [238, 4],
  },
  I: {
    englishName: [0, 120],
    sex: [120, 2],
    idNumber: [122, 30],
    nationality: [152, 6],
    name: [158, 30],
    validFrom: [188, 16],
    validTo: [204, 16],
    birth: [220, 16],
    cardVersion: [236, 4],
    authority: [240, 8],
  },
  Y: {
    name: [0, 30],
    sex: [30, 2],
    birth: [36, 16],
    englishName: [52, 70],
    idNumber: [122, 36],
    authority: [158, 30],
    validFrom: [188, 16],
    validTo: [204, 16],
    previousCardNumber: [220, 18],
    renewalCount: [238, 4],
    nationality: [242, 6],
  },
} as const satisfies Record<IdCardType, Record<string, Field>>

export const TYPE_FLAGS: Readonly<Record<IdCardType, string>> = {
  resident: ' ',
  J: 'J',
  I: 'I',
  Y: 'Y',
}

export interface IdCardText {
  readonly type: IdCardType
  readonly name: string
  readonly sexCode: string
  readonly sex: Sex
  readonly birth: string
  readonly idNumber: string
  readonly authority: string
  readonly validFrom: string
  /** `YYYY-MM-DD`, or `long-term` for "长期". */
  readonly validTo: string
  readonly nationCode?: string
  readonly nation?: string
  readonly address?: string
  readonly englishName?: string
  readonly nationality?: string
  readonly passNumber?: string
  readonly issueCount?: string
  readonly cardVersion?: string
  readonly previousCardNumber?: string
  readonly renewalCount?: string
}

const utf16 = new TextDecoder('utf-16le', { fatal: true })

function invalid(reason: string): CounterError {
  return new CounterError('IDCARD_TEXT_INVALID', { params: { reason } })
}

function readField(text: Uint8Array, [offset, length]: Field, name: string): string {
  let s: string
  try {
    s = utf16.decode(text.subarray(offset, offset + length))
  } catch {
    throw invalid(`${name}: UTF-16`)
  }
  // Fields are padded with spaces; some chips pad with NUL instead.
  let end = s.length
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\0' || s[end - 1] === '\t')) end--
  return s.slice(0, end)
}

const SEXES: Readonly<Record<string, Sex>> = {
  '0': 'unknown',
  '1': 'male',
  '2': 'female',
  '9': 'unspecified',
}

function toIsoDate(raw: string, name: string): string {
  if (!/^\d{8}$/.test(raw)) throw invalid(`${name}: ${raw.length === 0 ? 'empty' : 'not a date'}`)
  const y = Number(raw.slice(0, 4))
  const m = Number(raw.slice(4, 6))
  const d = Number(raw.slice(6, 8))
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate())
    throw invalid(`${name}: not a date`)
  return `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`
}

function toValidTo(raw: string): string {
  return raw === '长期' ? 'long-term' : toIsoDate(raw, 'validTo')
}

function cardTypeOf(text: Uint8Array): IdCardType {
  if (text.length !== TEXT_LENGTH) throw invalid(`length ${text.length}`)
  const flag = readField(text, [FLAG_OFFSET, 2], 'flag')
  if (flag === '') return 'resident'
  for (const [type, f] of Object.entries(TYPE_FLAGS) as [IdCardType, string][])
    if (f === flag) return type
  throw new CounterError('IDCARD_TEXT_UNKNOWN_TYPE', { params: { flag: flag.slice(0, 4) } })
}

export function parseIdCardText(text: Uint8Array): IdCardText {
  const type = cardTypeOf(text)
  const layout: Record<string, Field> = TEXT_LAYOUTS[type]
  const f: Record<string, string> = {}
  for (const [name, field] of Object.entries(layout)) f[name] = readField(text, field, name)
  const name = f.name ?? ''
  const idNumber = f.idNumber ?? ''
  if (name === '' && (f.englishName ?? '') === '') throw invalid('name: empty')
  if (!/^[0-9A-Z]{6,18}$/.test(idNumber)) throw invalid('idNumber')
  const sexCode = f.sex ?? ''
  const sex = SEXES[sexCode]
  if (!sex) throw invalid('sex')
  const base = {
    type,
    name,
    sexCode,
    sex,
    birth: toIsoDate(f.birth ?? '', 'birth'),
    idNumber,
    authority: f.authority ?? '',
    validFrom: toIsoDate(f.validFrom ?? '', 'validFrom'),
    validTo: toValidTo(f.validTo ?? ''),
  }
  const optional = (key: string) => (f[key] ? { [key]: f[key] } : {})
  switch (type) {
    case 'resident': {
      const nationCode = f.nation ?? ''
      const nation = nationName(nationCode)
      return { ...base, nationCode, ...(nation ? { nation } : {}), address: f.address ?? '' }
    }
    case 'J':
      return {
        ...base,
        address: f.address ?? '',
        ...optional('passNumber'),
        ...optional('issueCount'),
      }
    case 'I':
      return {
        ...base,
        ...optional('englishName'),
        ...optional('nationality'),
        ...optional('cardVersion'),
      }
    case 'Y':
      return {
        ...base,
        ...optional('englishName'),
        ...optional('nationality'),
        ...optional('previousCardNumber'),
        ...optional('renewalCount'),
      }
  }
}
