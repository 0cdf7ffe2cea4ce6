import jpeg from 'jpeg-js'
import { describe, expect, it, vi } from 'vitest'
import {
  atrExtendedLength,
  buildDocument,
  concatBytes,
  decodeJpeg2000,
  encodeTlv,
  faceDataUrl,
  fromHex,
  holderFromChip,
  j2kCodestream,
  parseCom,
  parseDg11,
  parseDg12,
  parseDg14,
  parseDg15,
  parseDg2,
  parseFaceRecord,
} from '../../../../../src/main/devices/emrtd'
import { EmrtdChip } from '../../../../../src/main/training/emrtd-sim'
import { buildDg11, buildDg12 } from '../../../../../src/main/training/emrtd-sim/lds-builder'
import { image, trainingAnchors } from './helpers'

// Chip images are generated on first use (RSA keys, JPEG 2000 faces): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 })

describe('EF.COM', () => {
  it('reads the Appendix D.4 example: LDS 1.6, Unicode 4.0.0, DG1 and DG2', () => {
    // 60 14 + the bytes the worked example's two READ BINARY commands returned.
    const com = fromHex('60145F01' + '04303130365F36063034303030305C026175')
    expect(parseCom(com)).toEqual({
      ldsVersion: '1.6',
      unicodeVersion: '040000',
      dataGroups: [1, 2],
    })
  })
  it('names the file when it is not a COM', () => {
    expect(() => parseCom(fromHex('61035F1F00'))).toThrow(
      expect.objectContaining({
        code: 'EMRTD_LDS_MALFORMED',
        params: expect.objectContaining({ file: 'COM' }),
      }),
    )
  })
})

describe('DG2 faces', () => {
  it('decodes a JPEG 2000 face (with padding after it) and re-encodes it as a JPEG Chromium shows', async () => {
    const img = await image('passport-liu')
    const [face] = parseDg2(img.files.get('DG2')!)
    expect(face).toMatchObject({ format: 'jpeg2000', width: 240, height: 320, gender: 'female' })
    const rgb = await decodeJpeg2000(face!.data)
    expect([rgb.width, rgb.height]).toEqual([240, 320])
    const url = await faceDataUrl(face!.data)
    expect(url.startsWith('data:image/jpeg;base64,')).toBe(true)
    const back = jpeg.decode(Buffer.from(url.split(',')[1]!, 'base64'))
    expect([back.width, back.height]).toEqual([240, 320])
    // The synthetic portrait's background is pale and its hair dark: the pixels survived.
    expect(back.data[0]!).toBeGreaterThan(180)
  })

  it('finds the codestream inside a JP2 file', async () => {
    const img = await image('passport-liu')
    const codestream = parseDg2(img.files.get('DG2')!)[0]!.data
    const box = (type: string, body: Uint8Array) => {
      const head = new Uint8Array(8)
      new DataView(head.buffer).setUint32(0, 8 + body.length)
      head.set(new TextEncoder().encode(type), 4)
      return concatBytes(head, body)
    }
    const jp2 = concatBytes(
      fromHex('0000000C6A5020200D0A870A'),
      box('ftyp', new TextEncoder().encode('jp2 \0\0\0\0jp2 ')),
      box('jp2c', codestream),
    )
    expect(j2kCodestream(jp2)).toEqual(codestream)
    expect((await decodeJpeg2000(jp2)).width).toBe(240)
    await expect(decodeJpeg2000(fromHex('0000000C6A5020200D0A870A'))).rejects.toMatchObject({
      code: 'EMRTD_FACE_UNDECODABLE',
    })
  })

  it('passes JPEG through and types the image by its own signature', async () => {
    const img = await image('permit-cs-wang')
    const [face] = parseDg2(img.files.get('DG2')!)
    expect(face?.format).toBe('jpeg')
    expect(await faceDataUrl(face!.data)).toBe(
      `data:image/jpeg;base64,${Buffer.from(face!.data).toString('base64')}`,
    )
    expect(() => parseFaceRecord(new TextEncoder().encode('FAC\x00010\x00'))).toThrow(
      expect.objectContaining({ code: 'EMRTD_LDS_MALFORMED' }),
    )
  })
})

describe('DG11, DG12, DG14, DG15', () => {
  it('reads the holder and document details, UTF-8 first and GBK when UTF-8 is not valid', () => {
    expect(
      parseDg11(buildDg11({ fullName: '刘芳', birthDate: '1986-04-23', placeOfBirth: '河南' })),
    ).toEqual({
      fullName: '刘芳',
      birthDate: '1986-04-23',
      placeOfBirth: '河南',
    })
    const gbk = encodeTlv(
      0x6b,
      encodeTlv(0x5c, fromHex('5F0E')),
      encodeTlv(0x5f0e, fromHex('C1F5B7BC')),
    )
    expect(parseDg11(gbk).fullName).toBe('刘芳')
    expect(
      parseDg12(buildDg12({ issuingAuthority: '国家移民管理局', dateOfIssue: '2024-09-22' })),
    ).toEqual({
      issuingAuthority: '国家移民管理局',
      dateOfIssue: '2024-09-22',
    })
  })

  it('reads Chip Authentication and Active Authentication infos and keys', async () => {
    const img = await image('passport-liu')
    const infos = parseDg14(img.files.get('DG14')!)
    expect(infos.map((i) => i.kind).sort()).toEqual(['aa', 'ca', 'ca-key', 'pace'])
    const key = infos.find((i) => i.kind === 'ca-key')
    expect(key?.kind === 'ca-key' && key.publicKey.kind === 'ec' && key.publicKey.curve.name).toBe(
      'brainpoolP256r1',
    )
    expect(parseDg15(img.files.get('DG15')!).kind).toBe('ec')
    const cs = await image('permit-cs-wang')
    expect(parseDg15(cs.files.get('DG15')!).kind).toBe('rsa')
  })
})

describe('ATR', () => {
  it('reads the extended-length bit of the card capabilities', async () => {
    const img = await image('permit-cs-wang')
    expect(atrExtendedLength(new EmrtdChip(img).atr())).toBe(true)
    expect(atrExtendedLength(new EmrtdChip(img, { noExtendedLength: true }).atr())).toBe(false)
    expect(atrExtendedLength(fromHex('3B8F8001804F0CA000000306030001000000006A'))).toBeUndefined()
    expect(atrExtendedLength(new Uint8Array(0))).toBeUndefined()
  })
})

describe('the chip holder as the applicant', () => {
  it('masks the number, maps the holder type and carries the verification', async () => {
    const now = new Date('2026-06-01T00:00:00Z')
    for (const [id, type, code] of [
      ['passport-liu', 'passport', '414'],
      ['permit-cs-wang', 'cs', '999'],
      ['permit-cr-wong', 'cr', '516'],
    ] as const) {
      const img = await image(id)
      const doc = buildDocument(img.files, trainingAnchors(), now)
      const h = await holderFromChip(
        doc,
        {
          accessControl: 'BAC',
          active: { state: 'not-supported' },
          chipAuthentication: { state: 'not-supported' },
        },
        1234,
        now,
      )
      expect(h.view).toMatchObject({
        source: 'emrtd',
        documentType: type,
        holderTypeCode: code,
        expired: false,
      })
      expect(h.view.documentNumberMasked).toMatch(/^\w{2}\*{5}\w{2}$/)
      expect(JSON.stringify(h.view)).not.toContain(h.identity.documentNumber)
      expect(h.view.photo.state).toBe('decoded')
      expect(h.view.chip.passive.verdict).toBe('genuine')
    }
  })
})
