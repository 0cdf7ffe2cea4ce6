/**
 * Reading training documents end to end on the in-process simulator: access control (PACE, BAC,
 * the fallback between them, CAN), every file, Chip and Active Authentication, and the reading
 * strategies with their fallbacks.
 */
import { describe, expect, it, vi } from 'vitest'
import { CounterError } from '../../../../../src/shared/errors'
import {
  buildDocument,
  paceOid,
  readChip,
  type ReadProgress,
} from '../../../../../src/main/devices/emrtd'
import { ecKeyFromSeed } from '../../../../../src/main/training/emrtd-sim/pki'
import { paceInfo, securityInfos } from '../../../../../src/main/training/emrtd-sim/lds-builder'
import { image, read, rig, trainingAnchors } from './helpers'

// Chip images are generated on first use (RSA keys, JPEG 2000 faces): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 })

describe('training documents read end to end', () => {
  it('passport: PACE (brainpoolP256r1, AES), CA and ECDSA AA pass, chip genuine', async () => {
    const img = await image('passport-liu')
    const r = await read(img)
    expect(r.accessControl).toBe('PACE')
    expect(r.paceFallback).toBeUndefined()
    expect(r.chipAuthentication).toEqual({ state: 'passed', protocol: 'CA-AES-128' })
    expect(r.activeAuthentication).toEqual({ state: 'passed', algorithm: 'ECDSA-SHA256' })
    expect([...r.files.keys()].sort()).toEqual([
      'COM',
      'DG1',
      'DG11',
      'DG12',
      'DG14',
      'DG15',
      'DG2',
      'SOD',
    ])
    for (const [name, bytes] of r.files) expect(bytes, name).toEqual(img.files.get(name))
    const doc = buildDocument(r.files, trainingAnchors())
    expect(doc.passive).toMatchObject({
      verdict: 'genuine',
      valid: true,
      algorithm: 'ECDSA-SHA256',
    })
    expect(doc.mrz).toMatchObject({
      format: 'TD3',
      documentNumber: 'E60418273',
      surname: 'LIU',
      valid: true,
    })
    expect(doc.dg11?.fullName).toBe('刘芳')
    expect(doc.faces[0]).toMatchObject({ format: 'jpeg2000', width: 240, height: 320 })
  })

  it('CS permit: BAC only, RSA active authentication, RSASSA-PSS security object, GBK name', async () => {
    const img = await image('permit-cs-wang')
    const r = await read(img)
    expect(r.accessControl).toBe('BAC')
    expect(r.cardAccess).toBeUndefined()
    expect(r.activeAuthentication).toEqual({ state: 'passed', algorithm: 'RSA ISO 9796-2' })
    expect(r.chipAuthentication).toEqual({ state: 'not-supported' })
    const doc = buildDocument(r.files, trainingAnchors())
    expect(doc.passive).toMatchObject({ verdict: 'genuine', algorithm: 'RSASSA-PSS-SHA256' })
    expect(doc.mrz).toMatchObject({
      format: 'CS',
      chineseName: '王晓东',
      sex: 'male',
      placeOfBirth: 'HEN',
    })
    expect(doc.faces[0]?.format).toBe('jpeg')
  })

  it('CR permit: PACE on P-256, Chip Authentication switching to 3DES, PKCS#1 signature', async () => {
    const img = await image('permit-cr-wong')
    const r = await read(img)
    expect(r.accessControl).toBe('PACE')
    expect(r.chipAuthentication).toEqual({ state: 'passed', protocol: 'CA-3DES' })
    const doc = buildDocument(r.files, trainingAnchors())
    expect(doc.passive).toMatchObject({ verdict: 'genuine', algorithm: 'RSA-SHA256' })
    expect(doc.mrz).toMatchObject({
      format: 'CR',
      documentCode: 'CR',
      regionalIdNumber: 'A1234567',
    })
  })

  it('reports each file as it goes', async () => {
    const img = await image('passport-liu')
    const seen: ReadProgress[] = []
    await read(img, { onProgress: (p) => seen.push(p) })
    const files = [...new Set(seen.filter((p) => p.file).map((p) => p.file))]
    expect(files).toEqual(['COM', 'DG14', 'DG1', 'DG2', 'DG11', 'DG12', 'DG15', 'SOD'])
    expect(seen[0]!.phase).toBe('access')
    const dg2 = seen.filter((p) => p.file === 'DG2' && p.length)
    expect(dg2.at(-1)!.offset).toBe(dg2.at(-1)!.length)
  })
})

describe('access control', () => {
  it('falls back from PACE to BAC when PACE is off, and opens with the CAN through PACE', async () => {
    const img = await image('passport-liu')
    expect((await read(img, { pace: false })).accessControl).toBe('BAC')
    const r = rig(img)
    const viaCan = await readChip(r.transport, { key: { kind: 'can', can: img.can } })
    expect(viaCan.accessControl).toBe('PACE')
  })

  it.each([
    ['DH', 0, 'AES-128'],
    ['DH', 2, '3DES'],
    ['ECDH', 13, '3DES'],
    ['ECDH', 15, 'AES-256'],
  ] as const)(
    'PACE %s generic mapping with parameters %i and %s',
    async (agreement, parameterId, cipher) => {
      const img = await image('permit-cs-wang')
      const oid = paceOid(agreement, 'GM', cipher)
      const variant = {
        ...img,
        cardAccess: securityInfos([paceInfo(oid, parameterId)]),
        paceOid: oid,
        paceParameterId: parameterId,
      }
      const r = await read(variant)
      expect(r.accessControl).toBe('PACE')
      expect(r.paceFallback).toBeUndefined()
      for (const [name, bytes] of r.files) expect(bytes, name).toEqual(img.files.get(name))
    },
  )

  it('falls back to BAC when EF.CardAccess names domain parameters it cannot use', async () => {
    const img = await image('passport-liu')
    const odd = {
      ...img,
      cardAccess: Uint8Array.from([
        0x31, 0x12, 0x30, 0x10, 0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02,
        0x02, 0x02, 0x01, 0x02,
      ]),
    }
    const r = await read(odd)
    expect(r.accessControl).toBe('BAC')
    expect(r.paceFallback).toBeDefined()
  })

  it('refuses a wrong MRZ as access denied, through both PACE and BAC', async () => {
    const img = await image('passport-liu-wrong-mrz')
    const printed = img.printedMrz[1]!
    const mrzInfo = printed.slice(0, 10) + printed.slice(13, 20) + printed.slice(21, 28)
    expect(mrzInfo).not.toBe(img.mrzInfo)
    const r = rig(img)
    await expect(readChip(r.transport, { key: { kind: 'mrz', mrzInfo } })).rejects.toMatchObject({
      code: 'EMRTD_ACCESS_DENIED',
    })
    // BAC-only chip too.
    const cs = await image('permit-cs-wang')
    await expect(
      readChip(rig(cs).transport, { key: { kind: 'mrz', mrzInfo: cs.mrzInfo.replace(/^C/, 'D') } }),
    ).rejects.toMatchObject({ code: 'EMRTD_ACCESS_DENIED' })
  })

  it('explains that a BAC-only document cannot be opened with a CAN', async () => {
    const cs = await image('permit-cs-wang')
    await expect(
      readChip(rig(cs).transport, { key: { kind: 'can', can: '123456' } }),
    ).rejects.toMatchObject({
      code: 'EMRTD_UNSUPPORTED',
    })
  })

  it('says the card is gone when it is lifted mid-read', async () => {
    const img = await image('passport-liu')
    const r = rig(img)
    let n = 0
    const transport = {
      transmit: async (a: Uint8Array) => {
        if (++n === 12) r.reader.remove()
        return r.transport.transmit(a)
      },
    }
    await expect(
      readChip(transport, { key: { kind: 'mrz', mrzInfo: img.mrzInfo } }),
    ).rejects.toMatchObject({
      code: 'EMRTD_CARD_REMOVED',
    })
  })
})

describe('chip and active authentication detect a cloned chip', () => {
  it('CA fails when the chip does not hold the DG14 key; reading goes on and PA still checks the data', async () => {
    const img = await image('passport-liu')
    const clone = { ...img, caKey: ecKeyFromSeed('brainpoolP256r1', 'not the genuine key') }
    const r = await read(clone)
    expect(r.chipAuthentication).toMatchObject({ state: 'failed' })
    expect(buildDocument(r.files, trainingAnchors()).passive.verdict).toBe('genuine')
  })

  it('AA fails when the chip signs with another key', async () => {
    const img = await image('passport-liu')
    const clone = { ...img, aaKey: ecKeyFromSeed('secp256r1', 'another key') }
    expect((await read(clone)).activeAuthentication).toMatchObject({ state: 'failed' })
  })
})

describe('reading strategies', () => {
  it('adaptive with extended length needs at most half the APDUs of fixed 0xDF blocks, same bytes', async () => {
    const img = await image('passport-liu')
    const fixed = await read(img, { strategy: 'fixed' })
    const adaptive = await read(img, { strategy: 'adaptive' })
    expect(adaptive.apduCount).toBeLessThanOrEqual(fixed.apduCount / 2)
    expect(adaptive.extendedLength).toBe(true)
    for (const [name, bytes] of fixed.files) expect(adaptive.files.get(name), name).toEqual(bytes)
  })

  it('on a chip without extended length, adaptive never needs more APDUs than fixed', async () => {
    const img = await image('permit-cs-wang')
    const fixed = await read(img, { strategy: 'fixed' }, { noExtendedLength: true })
    const adaptive = await read(
      img,
      { strategy: 'adaptive', extendedLength: false },
      { noExtendedLength: true },
    )
    expect(adaptive.apduCount).toBeLessThanOrEqual(fixed.apduCount)
    expect(adaptive.chip.commands.get(0xa4) ?? 0).toBeLessThan(fixed.chip.commands.get(0xa4)!)
  })

  it('recovers when extended length is tried on a chip that refuses it (plain 6700, session dropped)', async () => {
    const img = await image('passport-liu')
    const r = await read(
      img,
      { strategy: 'adaptive', extendedLength: true },
      { noExtendedLength: true },
    )
    expect(r.extendedLength).toBe(false)
    for (const [name, bytes] of r.files) expect(bytes, name).toEqual(img.files.get(name))
  })

  it.each(['6700', '6C'] as const)(
    'shrinks its blocks when the chip answers %s to a large Le',
    async (sw) => {
      const img = await image('permit-cs-wang')
      const r = await read(
        img,
        { strategy: 'adaptive', extendedLength: false },
        { maxResponse: 150, wrongLength: sw },
      )
      for (const [name, bytes] of r.files) expect(bytes, name).toEqual(img.files.get(name))
    },
  )

  it('reads past offset 32767 with odd-INS READ BINARY', async () => {
    const img = await image('permit-cs-wang')
    const dg2 = img.files.get('DG2')!
    const big = new Uint8Array(40_000)
    // A DG2 of 40 000 bytes: 75 83 00 9C 3B, then filler.
    big.set([0x75, 0x83, 0x00, (40_000 - 5) >> 8, (40_000 - 5) & 0xff])
    big.set(dg2.subarray(4), 5)
    for (let i = 5 + dg2.length; i < big.length; i++) big[i] = i & 0xff
    const files = new Map(img.files)
    files.set('DG2', big)
    const huge = { ...img, files }
    for (const strategy of ['fixed', 'adaptive'] as const) {
      const r = await read(huge, { strategy, extendedLength: false }, { noExtendedLength: true })
      expect(r.files.get('DG2')).toEqual(big)
      expect(r.chip.commands.get(0xb1), strategy).toBeGreaterThan(0)
    }
  })

  it('retries a lost response by re-establishing secure messaging and resuming', async () => {
    for (const id of ['passport-liu', 'permit-cs-wang']) {
      const img = await image(id)
      const r = rig(img)
      let n = 0
      const transport = {
        extendedApdu: false,
        transmit: async (a: Uint8Array) => {
          const response = await r.transport.transmit(a)
          // The chip answered, the reader lost it: the two SSCs now disagree.
          if (++n === 16) throw new CounterError('EMRTD_TIMEOUT')
          return response
        },
      }
      const out = await readChip(transport, {
        key: { kind: 'mrz', mrzInfo: img.mrzInfo },
        extendedLength: false,
      })
      for (const [name, bytes] of out.files)
        expect(bytes, `${id} ${name}`).toEqual(img.files.get(name))
    }
  })
})
