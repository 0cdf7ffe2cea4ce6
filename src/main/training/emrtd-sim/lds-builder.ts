/** Encoders for the LDS files a simulated chip holds: the mirror image of the reader's parsers. */
import type { HashName } from '../../crypto'
import {
  concatBytes,
  der,
  encodeTlv,
  hashOid,
  ldsFile,
  OID,
  type LdsFileName,
} from '../../devices/emrtd'

const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'))
const utf8 = (s: string) => new TextEncoder().encode(s)

export function buildCom(dataGroups: readonly LdsFileName[]): Uint8Array {
  return encodeTlv(
    0x60,
    encodeTlv(0x5f01, ascii('0107')),
    encodeTlv(0x5f36, ascii('040000')),
    encodeTlv(0x5c, Uint8Array.from(dataGroups.map((n) => ldsFile(n).tag))),
  )
}

export function buildDg1(mrz: string): Uint8Array {
  return encodeTlv(0x61, encodeTlv(0x5f1f, ascii(mrz)))
}

export interface FaceRecordSpec {
  readonly image: Uint8Array
  readonly format: 'jpeg' | 'jpeg2000'
  readonly width: number
  readonly height: number
  readonly sex: 'M' | 'F'
  /** Bytes of zero padding after the image, as some chips write after JPEG 2000 data. */
  readonly padding?: number
}

/** ISO/IEC 19794-5 record with one face, inside the DG2 biometric templates. */
export function buildDg2(face: FaceRecordSpec): Uint8Array {
  const image = concatBytes(face.image, new Uint8Array(face.padding ?? 0))
  const block = 20 + 12 + image.length
  const record = new Uint8Array(14 + block)
  const v = new DataView(record.buffer)
  record.set(ascii('FAC\x00010\x00'), 0)
  v.setUint32(8, record.length)
  v.setUint16(12, 1)
  let p = 14
  v.setUint32(p, block)
  v.setUint16(p + 4, 0) // feature points
  record[p + 6] = face.sex === 'M' ? 1 : 2
  p += 20
  record[p] = 1 // full frontal
  record[p + 1] = face.format === 'jpeg' ? 0 : 1
  v.setUint16(p + 2, face.width)
  v.setUint16(p + 4, face.height)
  record[p + 6] = 1 // RGB
  record[p + 7] = 2 // static photo, digital camera
  record.set(image, p + 12)
  const header = encodeTlv(
    0xa1,
    encodeTlv(0x80, Uint8Array.of(1, 1)),
    encodeTlv(0x81, Uint8Array.of(2)),
    encodeTlv(0x87, Uint8Array.of(1, 1)),
    encodeTlv(0x88, Uint8Array.of(0, 8)),
  )
  return encodeTlv(
    0x75,
    encodeTlv(
      0x7f61,
      encodeTlv(0x02, Uint8Array.of(1)),
      encodeTlv(0x7f60, header, encodeTlv(0x5f2e, record)),
    ),
  )
}

export interface Dg11Spec {
  readonly fullName?: string
  readonly birthDate?: string
  readonly placeOfBirth?: string
  readonly personalNumber?: string
}

export function buildDg11(spec: Dg11Spec): Uint8Array {
  const items: [number, Uint8Array][] = []
  if (spec.fullName) items.push([0x5f0e, utf8(spec.fullName)])
  if (spec.personalNumber) items.push([0x5f10, ascii(spec.personalNumber)])
  if (spec.birthDate) items.push([0x5f2b, ascii(spec.birthDate.replace(/-/g, ''))])
  if (spec.placeOfBirth) items.push([0x5f11, utf8(spec.placeOfBirth)])
  const tagList = Uint8Array.from(items.flatMap(([t]) => [t >> 8, t & 0xff]))
  return encodeTlv(0x6b, encodeTlv(0x5c, tagList), ...items.map(([t, v]) => encodeTlv(t, v)))
}

export function buildDg12(spec: { issuingAuthority?: string; dateOfIssue?: string }): Uint8Array {
  const items: [number, Uint8Array][] = []
  if (spec.issuingAuthority) items.push([0x5f19, utf8(spec.issuingAuthority)])
  if (spec.dateOfIssue) items.push([0x5f26, ascii(spec.dateOfIssue.replace(/-/g, ''))])
  const tagList = Uint8Array.from(items.flatMap(([t]) => [t >> 8, t & 0xff]))
  return encodeTlv(0x6c, encodeTlv(0x5c, tagList), ...items.map(([t, v]) => encodeTlv(t, v)))
}

/** SecurityInfos in a DER SET (EF.CardAccess as is, DG14 inside tag 6E). */
export function securityInfos(items: readonly Uint8Array[]): Uint8Array {
  return der.set(...items)
}

export function paceInfo(oid: string, parameterId: number): Uint8Array {
  return der.seq(der.oid(oid), der.int(2), der.int(parameterId))
}

export function caInfo(oid: string, version: number, keyId?: number): Uint8Array {
  return der.seq(der.oid(oid), der.int(version), ...(keyId !== undefined ? [der.int(keyId)] : []))
}

export function caPublicKeyInfo(algorithm: string, spki: Uint8Array, keyId?: number): Uint8Array {
  return der.seq(der.oid(algorithm), spki, ...(keyId !== undefined ? [der.int(keyId)] : []))
}

export function aaInfo(signatureOid: string): Uint8Array {
  return der.seq(der.oid(OID.activeAuthentication), der.int(1), der.oid(signatureOid))
}

export function buildDg14(items: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(0x6e, securityInfos(items))
}

export function buildDg15(spki: Uint8Array): Uint8Array {
  return encodeTlv(0x6f, spki)
}

/** LDSSecurityObject v0 over the given data groups. */
export function ldsSecurityObject(
  hash: HashName,
  hashes: ReadonlyMap<number, Uint8Array>,
): Uint8Array {
  return der.seq(
    der.int(0),
    der.seq(der.oid(hashOid(hash)), der.nul()),
    der.seq(
      ...[...hashes]
        .sort((a, b) => a[0] - b[0])
        .map(([n, h]) => der.seq(der.int(n), der.octets(h))),
    ),
  )
}
