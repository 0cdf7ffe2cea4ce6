/**
 * A read as plain data: what the diagnostics CLI prints and what the fuzzer drives. Decoding a
 * whole response frame goes through exactly the code a live read uses.
 */
import type { IdCardType } from '../../../shared/domain'
import { checkCitizenId } from '../../../shared/ids'
import { Sw3 } from './commands'
import { countryName } from './countries'
import { MAX_IMAGE_BODY_LENGTH, parseResponseFrame } from './frame'
import type { PhotoFormat } from './photo/format'
import { parseTextPhoto, parseTextPhotoFingerprint, type CardReadData } from './read-response'
import { sw3Error } from './sw3'
import { parseIdCardText, type IdCardText } from './text'

/**
 * Whether the number passes its check digit: GB 11643 MOD 11-2 for resident cards, residence
 * permits and the 2023 foreigner card; null for the 2017 foreigner card, whose 15-character
 * number has no published check.
 */
export function idNumberCheckOk(type: IdCardType, idNumber: string): boolean | null {
  if (type === 'I') return null
  return checkCitizenId(idNumber).valid
}

export interface CardDescription extends IdCardText {
  readonly idNumberCheckOk: boolean | null
  readonly nationalityName?: string
  readonly photo: { readonly format: PhotoFormat; readonly bytes: number }
  /** Fingerprint templates read (`30 10` only); null when not asked for. */
  readonly fingerprints: number | null
}

export function describeCard(
  text: IdCardText,
  data: Pick<CardReadData, 'photo' | 'photoFormat' | 'fingerprint'>,
  fingerprintsRead: boolean,
): CardDescription {
  const nationalityName = text.nationality ? countryName(text.nationality) : undefined
  const description: CardDescription = {
    ...text,
    idNumberCheckOk: idNumberCheckOk(text.type, text.idNumber),
    ...(nationalityName ? { nationalityName } : {}),
    photo: { format: data.photoFormat, bytes: data.photo.length },
    fingerprints: fingerprintsRead ? Math.floor((data.fingerprint?.length ?? 0) / 512) : null,
  }
  return description
}

/**
 * Decodes a whole response frame to a read (`30 01`, or `30 10` with fingerprints): frame,
 * status, length words, text. Every failure is a CounterError.
 */
export function decodeReadResponseFrame(frame: Uint8Array): CardDescription {
  const response = parseResponseFrame(frame, MAX_IMAGE_BODY_LENGTH)
  if (response.sw3 !== Sw3.success) throw sw3Error(response.sw3, 'read')
  let data: CardReadData
  let fingerprintsRead = false
  try {
    data = parseTextPhoto(response.data)
  } catch (first) {
    try {
      data = parseTextPhotoFingerprint(response.data)
      fingerprintsRead = true
    } catch {
      throw first
    }
  }
  return describeCard(parseIdCardText(data.text), data, fingerprintsRead)
}
