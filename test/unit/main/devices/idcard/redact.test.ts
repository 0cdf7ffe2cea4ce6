/**
 * Masking personal data in reader transcripts: the masked answer still parses as the same kind
 * of card (so a field capture replays), keeps what drives the app's tables and warnings, and
 * holds nothing that says who the holder is.
 */
import { describe, expect, it } from 'vitest'
import {
  Commands,
  encodeCommand,
  encodeResponse,
  idNumberCheckOk,
  parseIdCardText,
  parseRequestFrame,
  parseResponseFrame,
  parseTextPhoto,
  parseTextPhotoFingerprint,
  photoFormat,
  redactExchange,
  type SamCommand,
} from '../../../../../src/main/devices/idcard'
import { SamSimulator, TRAINING_CARDS, type SimProfile } from '../../../../../src/main/training'

/** The simulator's answer to one command for a card lying on it (after select). */
function answer(cardIndex: number, command: SamCommand, profile: Partial<SimProfile> = {}) {
  const sim = new SamSimulator(undefined, { profile })
  sim.place(TRAINING_CARDS[cardIndex]!)
  sim.respond(parseRequestFrame(encodeCommand(Commands.select)))
  const request = encodeCommand(command)
  return { request, response: sim.respond(parseRequestFrame(request))! }
}

const utf16Hex = (s: string) => Buffer.from(s, 'utf16le').toString('hex')
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('masking a read answer', () => {
  it.each(TRAINING_CARDS.map((c, i) => [c.id, i] as const))(
    '%s: same type, codes and validity; no name, number, birth date or photo',
    (_id, i) => {
      const card = TRAINING_CARDS[i]!.text
      const { request, response } = answer(i, Commands.readTextPhoto)
      const masked = redactExchange(request, response)
      expect(masked).toHaveLength(response.length)
      const frame = parseResponseFrame(masked) // checksum recomputed
      const data = parseTextPhoto(frame.data)
      const text = parseIdCardText(data.text)

      expect(text).toMatchObject({
        type: card.type,
        sexCode: card.sexCode,
        validFrom: card.validFrom,
        validTo: card.validTo,
        authority: card.authority,
        birth: '1900-01-01',
      })
      if (card.nationCode) expect(text.nationCode).toBe(card.nationCode)
      if (card.nationality) expect(text.nationality).toBe(card.nationality)
      // Names keep their length and how they are written, not their letters.
      expect(text.name).toHaveLength(card.name.length)
      expect(text.name).toMatch(/^[某X, .]+$/)
      if (card.englishName) expect(text.englishName).toMatch(/^[X, .]+$/)
      // The number keeps its region, its sex digit's parity and whether its check digit held.
      expect(text.idNumber).toHaveLength(card.idNumber.length)
      expect(text.idNumber.slice(0, 6)).toBe(card.idNumber.slice(0, 6))
      expect(text.idNumber).not.toBe(card.idNumber)
      expect(idNumberCheckOk(text.type, text.idNumber)).toBe(
        idNumberCheckOk(card.type, card.idNumber),
      )
      if (card.idNumber.length === 18)
        expect(Number(text.idNumber[16]) % 2).toBe(Number(card.idNumber[16]) % 2)
      if (card.passNumber) expect(text.passNumber).toBe(card.passNumber[0] + '00000000')
      expect(data.photo.every((b) => b === 0)).toBe(true)

      const all = hexOf(masked)
      for (const secret of [card.name, card.idNumber, card.address, card.englishName])
        if (secret) expect(all).not.toContain(utf16Hex(secret))
      expect(all).not.toContain(utf16Hex(card.birth.replaceAll('-', '')))
    },
  )

  it('zeroes fingerprints and masks the appended address', () => {
    const fp = answer(0, Commands.readWithFingerprint)
    const masked = parseTextPhotoFingerprint(
      parseResponseFrame(redactExchange(fp.request, fp.response)).data,
    )
    expect(masked.fingerprint).toHaveLength(1024)
    expect(masked.fingerprint!.every((b) => b === 0)).toBe(true)

    const address = answer(0, Commands.readAppendedAddress)
    const block = parseResponseFrame(redactExchange(address.request, address.response)).data
    const shown = Buffer.from(block).toString('utf16le').trimEnd()
    expect(shown).toMatch(/^[某0]+$/)
    expect(shown.length).toBe(TRAINING_CARDS[0]!.appendedAddress!.length)
  })

  it('keeps an image’s header, so a decoding reader’s answer still shows its format', () => {
    const { request, response } = answer(1, Commands.readTextPhoto, { photo: 'bmp' })
    const data = parseTextPhoto(parseResponseFrame(redactExchange(request, response), 0xffff).data)
    expect(photoFormat(data.photo)).toBe('bmp')
    expect(data.photo.subarray(54).every((b) => b === 0)).toBe(true)
    expect(data.photo.subarray(0, 54).some((b) => b !== 0)).toBe(true)
  })

  it('passes every other answer unchanged, and keeps nothing of a read answer it cannot lay out', () => {
    const status = answer(0, Commands.status)
    expect(redactExchange(status.request, status.response)).toEqual(status.response)
    const find = answer(0, Commands.find)
    expect(redactExchange(find.request, find.response)).toEqual(find.response)

    const request = encodeCommand(Commands.readTextPhoto)
    const odd = encodeResponse(0x90, Uint8Array.from([0x00, 0x04, 0x00, 0x04, 1, 2, 3, 4, 5]))
    const masked = parseResponseFrame(redactExchange(request, odd)).data
    expect([...masked.subarray(4)]).toEqual([0, 0, 0, 0, 0])
  })
})
