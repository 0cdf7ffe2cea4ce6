/**
 * Turns a card read into the applicant at the window: the full record for the core (held in
 * memory only) and the view the screen may show (masked numbers, the photo only as an image the
 * screen can draw or a state saying why there is none, no raw card bytes).
 */
import type { IdCardHolder, IdCardType } from '../../shared/domain'
import { maskIdNumber } from '../../shared/ids'
import { isPastValidity, shanghaiDate } from '../../shared/time'
import { countryName, idNumberCheckOk, type IdCardRead } from '../devices/idcard'
import type { Applicant } from './applicant'

/**
 * Holder identity type codes by card (GB/T 36903 as used in practice). `111` is confirmed for
 * citizen ID numbers; residence permits carry numbers of the same form. Foreigner cards have no
 * confirmed code in public material; `111` is what the sandbox uses until a province says otherwise.
 */
const HOLDER_TYPE_BY_CARD: Readonly<Record<IdCardType, string>> = {
  resident: '111',
  J: '111',
  I: '111',
  Y: '111',
}

export type HolderPhoto = IdCardHolder['photo']

export function applicantFromIdCard(
  read: IdCardRead,
  now: Date = new Date(),
  photo: HolderPhoto = { state: 'no-decoder' },
): Applicant {
  const t = read.text
  const nationalityName = t.nationality ? countryName(t.nationality) : undefined
  const fingerprints = read.fingerprintsRead
    ? Math.min(2, Math.floor((read.fingerprint?.length ?? 0) / 512))
    : undefined
  const view: IdCardHolder = {
    source: 'idcard',
    cardType: t.type,
    holderTypeCode: HOLDER_TYPE_BY_CARD[t.type],
    name: t.name,
    ...(t.englishName ? { englishName: t.englishName } : {}),
    sex: t.sex,
    ...(t.nation ? { nation: t.nation } : {}),
    ...(t.nationality ? { nationality: t.nationality } : {}),
    ...(nationalityName ? { nationalityName } : {}),
    birthDate: t.birth,
    ...(t.address ? { address: t.address } : {}),
    ...(read.appendedAddress ? { appendedAddress: read.appendedAddress } : {}),
    idNumberMasked: maskIdNumber(t.idNumber),
    // A failed check is a warning for the clerk, never a rejection (some real numbers fail it).
    idNumberCheckOk: idNumberCheckOk(t.type, t.idNumber) ?? true,
    authority: t.authority,
    validFrom: t.validFrom,
    validTo: t.validTo === 'long-term' ? 'long-term' : t.validTo,
    expired: isPastValidity(t.validTo, shanghaiDate(now)),
    ...(t.passNumber ? { passNumber: t.passNumber } : {}),
    ...(t.issueCount ? { issueCount: t.issueCount } : {}),
    ...(t.cardVersion ? { cardVersion: t.cardVersion } : {}),
    ...(t.previousCardNumber
      ? { previousCardNumberMasked: maskIdNumber(t.previousCardNumber) }
      : {}),
    ...(t.renewalCount ? { renewalCount: t.renewalCount } : {}),
    ...(fingerprints !== undefined ? { fingerprints } : {}),
    photo,
    readAt: now.toISOString(),
  }
  return {
    kind: 'person',
    code: t.idNumber,
    holderTypeCode: view.holderTypeCode,
    // Some foreigner cards carry no Chinese name; the English one then names the applicant.
    name: t.name || t.englishName || '',
    view,
  }
}
