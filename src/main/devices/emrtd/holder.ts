/**
 * A verified chip read as the applicant at the window: the view the screen may show (number
 * masked, photo as a data URL in memory) and what the core keeps for scoped licence queries and
 * the real-name check. Holder type codes follow the reference's list (GB/T 36903 as used in
 * practice): 414 ordinary passport, 411–413 diplomatic / service / public-affairs passports,
 * 516 Hong Kong and Macao residents' travel permit, 511 Taiwan residents' travel permit, 999 for
 * what the list does not name (the CS/CD permit cards). These are unconfirmed and kept as data.
 */
import type { ChipVerification, EmrtdHolder, TravelDocumentType } from '../../../shared/domain'
import { maskIdNumber } from '../../../shared/ids'
import { isPastValidity, shanghaiDate } from '../../../shared/time'
import type { ActiveAuthenticationResult } from './aa'
import { faceDataUrl } from './face-image'
import { mrzDateToIso, type MrzData } from './mrz'
import type { ChipAuthenticationResult } from './read-chip'
import type { EmrtdDocument } from './verify'

export const HOLDER_TYPE_BY_DOCUMENT: Readonly<Record<string, string>> = {
  P: '414',
  PO: '414',
  PD: '411',
  PS: '412',
  PF: '413',
  CR: '516',
  C: '516',
  CT: '511',
  CS: '999',
  CD: '999',
}

export function documentTypeOf(mrz: MrzData): TravelDocumentType {
  switch (mrz.format) {
    case 'TD3':
      return 'passport'
    case 'CS':
      return mrz.documentCode === 'CD' ? 'cd' : 'cs'
    case 'CR':
      return mrz.documentCode === 'CT' ? 'ct' : 'cr'
    case 'TD1':
      return 'td1'
    case 'TD2':
      return 'td2'
  }
}

export function holderTypeCodeOf(mrz: MrzData): string {
  return HOLDER_TYPE_BY_DOCUMENT[mrz.documentCode] ?? (mrz.format === 'TD3' ? '414' : '999')
}

/** What the real-name check and licence queries need; held in the core only. */
export interface ChipIdentity {
  readonly documentType: TravelDocumentType
  readonly documentNumber: string
  readonly holderTypeCode: string
  readonly name: string
  readonly latinName: string
  readonly birthDate: string
  /** When the chip was read: ties this identity to the session's holder. */
  readonly readAt: string
}

export interface HolderFromChip {
  readonly view: EmrtdHolder
  readonly identity: ChipIdentity
}

function checkView(r: ActiveAuthenticationResult | ChipAuthenticationResult) {
  if (r.state === 'not-supported') return { state: 'not-supported' as const }
  const detail = 'algorithm' in r ? { algorithm: r.algorithm } : { protocol: r.protocol }
  return { state: r.state, ...detail }
}

export async function holderFromChip(
  doc: EmrtdDocument,
  chip: {
    accessControl: 'BAC' | 'PACE'
    active: ActiveAuthenticationResult
    chipAuthentication: ChipAuthenticationResult
  },
  readMs: number,
  now: Date = new Date(),
): Promise<HolderFromChip> {
  const mrz = doc.mrz
  const latinName = [mrz.surname, mrz.givenNames].filter(Boolean).join(' ')
  const name = doc.dg11?.fullName || mrz.chineseName || latinName || mrz.documentNumber
  const birthDate =
    doc.dg11?.birthDate ?? mrzDateToIso(mrz.birthDate, 'birth', now) ?? mrz.birthDate
  const validTo = mrzDateToIso(mrz.expiryDate, 'expiry', now) ?? mrz.expiryDate
  let photo: EmrtdHolder['photo'] = { state: 'none' }
  const face = doc.faces[0]
  if (face) {
    try {
      photo = {
        state: 'decoded',
        dataUrl: await faceDataUrl(face.data),
        format: face.format === 'jpeg2000' ? 'jpeg2000' : 'jpeg',
      }
    } catch (error) {
      photo = { state: 'failed', reason: error instanceof Error ? error.message : '无法解码' }
    }
  }
  const p = doc.passive
  const verification: ChipVerification = {
    accessControl: chip.accessControl,
    passive: {
      verdict: p.verdict,
      valid: p.valid,
      dataGroups: p.dataGroups,
      ...(p.algorithm ? { algorithm: p.algorithm } : {}),
      ...(p.signer?.country ? { signerCountry: p.signer.country } : {}),
      ...(p.signer
        ? { signerSubject: p.signer.subject, signerValidTo: p.signer.notAfter.slice(0, 10) }
        : {}),
      ...(p.reason ? { reason: p.reason } : {}),
    },
    active: checkView(chip.active),
    chipAuthentication: checkView(chip.chipAuthentication),
  }
  const documentType = documentTypeOf(mrz)
  const holderTypeCode = holderTypeCodeOf(mrz)
  const view: EmrtdHolder = {
    source: 'emrtd',
    documentType,
    documentCode: mrz.documentCode,
    holderTypeCode,
    name,
    latinName,
    sex: mrz.sex,
    ...(mrz.nationality ? { nationality: mrz.nationality } : {}),
    ...(mrz.issuingState ? { issuingState: mrz.issuingState } : {}),
    birthDate,
    documentNumberMasked: maskIdNumber(mrz.documentNumber),
    mrzChecks: mrz.checks,
    validTo,
    expired: isPastValidity(validTo, shanghaiDate(now)),
    ...(doc.dg12?.issuingAuthority ? { issuingAuthority: doc.dg12.issuingAuthority } : {}),
    ...(doc.dg12?.dateOfIssue ? { dateOfIssue: doc.dg12.dateOfIssue } : {}),
    ...(doc.dg11?.placeOfBirth || mrz.placeOfBirth
      ? { placeOfBirth: doc.dg11?.placeOfBirth ?? mrz.placeOfBirth }
      : {}),
    ...(mrz.regionalIdNumber ? { regionalIdMasked: maskIdNumber(mrz.regionalIdNumber) } : {}),
    photo,
    chip: verification,
    readAt: now.toISOString(),
    readMs: Math.round(readMs),
  }
  return {
    view,
    identity: {
      documentType,
      documentNumber: mrz.documentNumber,
      holderTypeCode,
      name,
      latinName,
      birthDate,
      readAt: view.readAt,
    },
  }
}
