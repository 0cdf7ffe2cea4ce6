/**
 * Parsers for the LDS data groups the counter needs: COM, DG1 (MRZ, including the Chinese
 * layouts), DG2 (ISO 19794-5 face), DG11 and DG12 (extra holder and document details), DG14
 * (SecurityInfos) and DG15 (Active Authentication key). Every failure is EMRTD_LDS_MALFORMED
 * naming the file.
 */
import { CounterError } from '../../../../shared/errors'
import { Asn1 } from '../asn1'
import { parseChipMrz, type MrzData } from '../mrz'
import { parseSecurityInfos, type SecurityInfo } from '../security-infos'
import { parseSpki, type PublicKey } from '../spki'
import { parseTlvList, readTlv, type Tlv } from '../tlv'
import { ldsFileByTag, type LdsFileName } from './files'

function malformed(file: LdsFileName, reason: string): CounterError {
  return new CounterError('EMRTD_LDS_MALFORMED', { params: { file, reason } })
}

function guard<T>(file: LdsFileName, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof CounterError && error.code === 'EMRTD_LDS_MALFORMED') throw error
    if (error instanceof CounterError && error.code === 'EMRTD_MRZ_INVALID')
      throw malformed(file, String(error.params?.reason ?? 'MRZ'))
    const reason =
      error instanceof CounterError ? String(error.params?.reason ?? error.code) : 'unreadable'
    throw malformed(file, reason)
  }
}

/** The file's outer object (chips may pad after it). */
function outer(file: LdsFileName, tag: number, bytes: Uint8Array): Tlv {
  const { tlv } = readTlv(bytes, 0)
  if (tlv.tag !== tag) throw malformed(file, `outer tag ${tlv.tag.toString(16)}`)
  return tlv
}

function latin(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes.subarray(0, 4096))
}

/** UTF-8 as Doc 9303 asks; some issuers wrote GBK, which is tried when UTF-8 is not valid. */
function text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gbk').decode(bytes)
  }
}

export interface ComFile {
  readonly ldsVersion: string
  readonly unicodeVersion: string
  readonly dataGroups: number[]
}

export function parseCom(bytes: Uint8Array): ComFile {
  return guard('COM', () => {
    const items = parseTlvList(outer('COM', 0x60, bytes).value)
    const get = (tag: number) => items.find((t) => t.tag === tag)
    const tags = get(0x5c)
    if (!tags) throw malformed('COM', 'no tag list')
    const ldsRaw = latin(get(0x5f01)?.value ?? new Uint8Array(0))
    return {
      ldsVersion: /^\d{4}$/.test(ldsRaw)
        ? `${Number(ldsRaw.slice(0, 2))}.${Number(ldsRaw.slice(2))}`
        : ldsRaw,
      unicodeVersion: latin(get(0x5f36)?.value ?? new Uint8Array(0)),
      dataGroups: [...tags.value]
        .map((t) => ldsFileByTag(t)?.dg)
        .filter((n): n is number => n !== undefined),
    }
  })
}

export function parseDg1(bytes: Uint8Array): MrzData {
  return guard('DG1', () => {
    const items = parseTlvList(outer('DG1', 0x61, bytes).value)
    const mrz = items.find((t) => t.tag === 0x5f1f)
    if (!mrz) throw malformed('DG1', 'no MRZ (5F1F)')
    return parseChipMrz(latin(mrz.value))
  })
}

export type FaceImageFormat = 'jpeg' | 'jpeg2000' | 'unknown'

export interface FaceImage {
  readonly format: FaceImageFormat
  readonly width: number
  readonly height: number
  readonly gender: 'male' | 'female' | 'unspecified'
  readonly data: Uint8Array
}

/** The image's own signature, which beats the record's data type byte when they disagree. */
export function sniffImage(data: Uint8Array): FaceImageFormat {
  if (data[0] === 0xff && data[1] === 0xd8) return 'jpeg'
  if (data[0] === 0xff && data[1] === 0x4f && data[2] === 0xff && data[3] === 0x51)
    return 'jpeg2000'
  if (
    data.length >= 12 &&
    data[4] === 0x6a &&
    data[5] === 0x50 &&
    data[6] === 0x20 &&
    data[7] === 0x20
  )
    return 'jpeg2000'
  return 'unknown'
}

const MAX_FACES = 8
const MAX_FEATURE_POINTS = 256

/** An ISO/IEC 19794-5 facial record: header, then per face an information block and an image. */
export function parseFaceRecord(record: Uint8Array): FaceImage[] {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength)
  if (record.length < 14 || latin(record.subarray(0, 4)) !== 'FAC\0')
    throw malformed('DG2', 'not an ISO 19794-5 record')
  const count = view.getUint16(12)
  if (count < 1 || count > MAX_FACES) throw malformed('DG2', `face count ${count}`)
  const faces: FaceImage[] = []
  let p = 14
  for (let f = 0; f < count; f++) {
    if (p + 20 > record.length) throw malformed('DG2', 'facial information truncated')
    const blockLength = view.getUint32(p)
    const points = view.getUint16(p + 4)
    const genderByte = record[p + 6]
    if (points > MAX_FEATURE_POINTS) throw malformed('DG2', 'too many feature points')
    const info = p + 20 + 8 * points
    if (info + 12 > record.length) throw malformed('DG2', 'image information truncated')
    const dataType = record[info + 1]
    const width = view.getUint16(info + 2)
    const height = view.getUint16(info + 4)
    const start = info + 12
    // Some chips pad after JPEG 2000 data; the block length, when sane, bounds the image.
    const end =
      blockLength >= start - p && p + blockLength <= record.length ? p + blockLength : record.length
    if (end <= start) throw malformed('DG2', 'no image data')
    const data = record.subarray(start, end)
    const sniffed = sniffImage(data)
    faces.push({
      format:
        sniffed !== 'unknown'
          ? sniffed
          : dataType === 0
            ? 'jpeg'
            : dataType === 1
              ? 'jpeg2000'
              : 'unknown',
      width,
      height,
      gender: genderByte === 1 ? 'male' : genderByte === 2 ? 'female' : 'unspecified',
      data,
    })
    p = end
  }
  return faces
}

export function parseDg2(bytes: Uint8Array): FaceImage[] {
  return guard('DG2', () => {
    const group = parseTlvList(outer('DG2', 0x75, bytes).value).find((t) => t.tag === 0x7f61)
    if (!group) throw malformed('DG2', 'no biometric information group (7F61)')
    const faces: FaceImage[] = []
    for (const item of parseTlvList(group.value, 64)) {
      if (item.tag !== 0x7f60) continue
      const data = parseTlvList(item.value).find((t) => t.tag === 0x5f2e || t.tag === 0x7f2e)
      if (!data) throw malformed('DG2', 'no biometric data block')
      faces.push(...parseFaceRecord(data.value))
    }
    if (faces.length === 0) throw malformed('DG2', 'no face')
    return faces
  })
}

export interface Dg11 {
  readonly fullName?: string
  readonly otherNames?: string[]
  readonly personalNumber?: string
  /** YYYY-MM-DD when the chip gives a full date. */
  readonly birthDate?: string
  readonly placeOfBirth?: string
  readonly address?: string
  readonly telephone?: string
  readonly profession?: string
  readonly title?: string
}

function fullDate(v: string): string | undefined {
  const d = v.replace(/\D/g, '')
  return d.length === 8 ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined
}

/** `<` separates name parts and address lines in these fields. */
const cleanText = (s: string) => s.replace(/<+/g, ' ').trim()

export function parseDg11(bytes: Uint8Array): Dg11 {
  return guard('DG11', () => {
    const out: Record<string, unknown> = {}
    const others: string[] = []
    for (const t of parseTlvList(outer('DG11', 0x6b, bytes).value)) {
      const v = () => cleanText(text(t.value))
      switch (t.tag) {
        case 0x5f0e:
          out.fullName = v()
          break
        case 0xa0:
          for (const o of parseTlvList(t.value))
            if (o.tag === 0x5f0f) others.push(cleanText(text(o.value)))
          break
        case 0x5f0f:
          others.push(v())
          break
        case 0x5f10:
          out.personalNumber = v()
          break
        case 0x5f2b: {
          const d = fullDate(text(t.value))
          if (d) out.birthDate = d
          break
        }
        case 0x5f11:
          out.placeOfBirth = v()
          break
        case 0x5f42:
          out.address = v()
          break
        case 0x5f12:
          out.telephone = v()
          break
        case 0x5f13:
          out.profession = v()
          break
        case 0x5f14:
          out.title = v()
          break
      }
    }
    if (others.length > 0) out.otherNames = others
    return out as Dg11
  })
}

export interface Dg12 {
  readonly issuingAuthority?: string
  readonly dateOfIssue?: string
  readonly endorsements?: string
  readonly personalizedAt?: string
}

export function parseDg12(bytes: Uint8Array): Dg12 {
  return guard('DG12', () => {
    const out: Record<string, string> = {}
    for (const t of parseTlvList(outer('DG12', 0x6c, bytes).value)) {
      if (t.tag === 0x5f19) out.issuingAuthority = cleanText(text(t.value))
      else if (t.tag === 0x5f26) {
        const d = fullDate(latin(t.value))
        if (d) out.dateOfIssue = d
      } else if (t.tag === 0x5f1b) out.endorsements = cleanText(text(t.value))
      else if (t.tag === 0x5f55) out.personalizedAt = latin(t.value)
    }
    return out
  })
}

export function parseDg14(bytes: Uint8Array): SecurityInfo[] {
  return guard('DG14', () => parseSecurityInfos(outer('DG14', 0x6e, bytes).value))
}

export function parseDg15(bytes: Uint8Array): PublicKey {
  return guard('DG15', () => parseSpki(Asn1.parse(outer('DG15', 0x6f, bytes).value)))
}
