/**
 * Every parser that reads bytes from a chip or a file, fed mutated and random input: it may only
 * answer with a typed CounterError (EMRTD_*), never another exception, a hang or a stack overflow.
 *
 * The chip images are built with fresh keys and today's dates, so a mutant cannot be rebuilt from
 * the generator's seed: a failure names the whole input (base64) instead, to replay it directly.
 */
import { describe, expect, it, vi } from 'vitest'
import { CounterError } from '../../../../../src/shared/errors'
import {
  Asn1,
  decodeCommand,
  fromHex,
  j2kCodestream,
  parseCardAccess,
  parseCertificate,
  parseChipMrz,
  parseCom,
  parseDg1,
  parseDg11,
  parseDg12,
  parseDg14,
  parseDg15,
  parseDg2,
  parseMasterList,
  parseMrz,
  parseResponse,
  parseSignedData,
  parseSod,
  parseTlv,
  parseTlvList,
  passiveAuthentication,
  SecureMessaging,
  tdesCipher,
  type LdsFileName,
} from '../../../../../src/main/devices/emrtd'
import { emrtdTrainingPki } from '../../../../../src/main/training/emrtd-sim'
import { image, trainingAnchors } from './helpers'

vi.setConfig({ testTimeout: 120_000 })

function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  const b = Uint8Array.from(input)
  const n = b.length
  switch (Math.floor(r() * 6)) {
    case 0: // flip bits
      for (let i = 0; i < 1 + Math.floor(r() * 4); i++)
        b[Math.floor(r() * n)]! ^= 1 << Math.floor(r() * 8)
      return b
    case 1: // truncate
      return b.subarray(0, Math.floor(r() * n))
    case 2: // a length byte made huge or tiny, near the start where headers are
      b[Math.floor(r() * Math.min(n, 64))] = r() < 0.5 ? 0xff : r() < 0.5 ? 0x84 : 0x00
      return b
    case 3: {
      // insert random bytes
      const at = Math.floor(r() * n)
      const extra = Uint8Array.from({ length: 1 + Math.floor(r() * 8) }, () =>
        Math.floor(r() * 256),
      )
      return Uint8Array.from([...b.subarray(0, at), ...extra, ...b.subarray(at)])
    }
    case 4: {
      // duplicate a slice
      const from = Math.floor(r() * n)
      const len = Math.floor(r() * 32)
      return Uint8Array.from([...b, ...b.subarray(from, from + len)])
    }
    default: // random bytes of similar length
      return Uint8Array.from({ length: Math.floor(r() * (n + 16)) }, () => Math.floor(r() * 256))
  }
}

/** The whole input, so a failing mutant can be fed to the parser again. */
function replayable(name: string, input: Uint8Array): string {
  return `${name}, ${input.length} bytes (base64): ${Buffer.from(input).toString('base64')}`
}

let slowest = 0
let slowestInput = ''

/** Runs `parse` on mutations of `seed`; returns how many inputs were rejected (typed). */
function fuzz(
  name: string,
  seed: Uint8Array,
  parse: (b: Uint8Array) => unknown,
  iterations: number,
): number {
  const r = rng(name.length * 7919 + seed.length)
  let rejected = 0
  for (let i = 0; i < iterations; i++) {
    const input = mutate(seed, r)
    const t0 = performance.now()
    try {
      parse(input)
    } catch (error) {
      if (!(error instanceof CounterError) || !/^EMRTD_/.test(error.code)) {
        throw new Error(`untyped failure on ${replayable(name, input)}`, { cause: error })
      }
      rejected++
    }
    const ms = performance.now() - t0
    if (ms > slowest) {
      slowest = ms
      slowestInput = replayable(name, input)
    }
  }
  return rejected
}

/** Walks every node, so lazily parsed children are parsed too. */
function walk(node: Asn1): number {
  return node.constructed && node.tag !== 0x04
    ? node.children().reduce((n, c) => n + walk(c), 1)
    : 1
}

describe('fuzzing the byte parsers', () => {
  it('TLV and ASN.1', async () => {
    const img = await image('passport-liu')
    const cert = emrtdTrainingPki().csca.certificate
    expect(
      fuzz('tlv', img.files.get('DG11')!, (b) => parseTlvList(parseTlv(b).value), 3000),
    ).toBeGreaterThan(0)
    expect(fuzz('asn1', cert, (b) => walk(Asn1.parse(b)), 3000)).toBeGreaterThan(0)
    // Nesting deeper than any real structure ends in an error, not a stack overflow.
    let deep = Uint8Array.of(0x05, 0x00)
    for (let i = 0; i < 100; i++)
      deep = Uint8Array.from([
        0x30,
        0x84,
        ...new Uint8Array(new Uint32Array([deep.length]).buffer).reverse(),
        ...deep,
      ])
    expect(() => walk(Asn1.parse(deep))).toThrow(
      expect.objectContaining({ code: 'EMRTD_ASN1_MALFORMED' }),
    )
  })

  it('certificates, CMS, security objects and master lists', async () => {
    const img = await image('permit-cs-wang')
    const sod = img.files.get('SOD')!
    fuzz('cert', emrtdTrainingPki().csca.certificate, parseCertificate, 2000)
    fuzz('cms', sod.subarray(4), parseSignedData, 1500)
    fuzz('sod', sod, parseSod, 1500)
    fuzz('ml', sod.subarray(4), parseMasterList, 500)
    // Passive Authentication never throws: malformed input is a verdict. (Some fields of CMS are
    // not signed — versions, the digest algorithm set — so a few mutants stay genuine.)
    const r = rng(99)
    const verdicts = new Set<string>()
    for (let i = 0; i < 300; i++) {
      const input = mutate(sod, r)
      try {
        verdicts.add(
          passiveAuthentication(input, new Map([[1, img.files.get('DG1')!]]), trainingAnchors())
            .verdict,
        )
      } catch (error) {
        throw new Error(`passive authentication threw on ${replayable('SOD', input)}`, {
          cause: error,
        })
      }
    }
    expect(verdicts.has('malformed')).toBe(true)
    expect(verdicts.has('signature-invalid') || verdicts.has('altered')).toBe(true)
  })

  it('LDS files and EF.CardAccess', async () => {
    const img = await image('passport-liu')
    const parsers: [LdsFileName, (b: Uint8Array) => unknown][] = [
      ['COM', parseCom],
      ['DG1', parseDg1],
      ['DG2', parseDg2],
      ['DG11', parseDg11],
      ['DG12', parseDg12],
      ['DG14', parseDg14],
      ['DG15', parseDg15],
    ]
    for (const [name, parse] of parsers)
      fuzz(name, img.files.get(name)!, parse, name === 'DG2' ? 600 : 1500)
    fuzz('cardaccess', img.cardAccess!, parseCardAccess, 2000)
    fuzz('jp2', fromHex('0000000C6A5020200D0A870A0000001466747970'), j2kCodestream, 2000)
  })

  it('MRZ text', () => {
    const r = rng(7)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<< é\n'
    for (let i = 0; i < 3000; i++) {
      const len = [30, 44, 88, 90, 72, 36][i % 6]! + (r() < 0.3 ? Math.floor(r() * 5) - 2 : 0)
      const text = Array.from(
        { length: len },
        () => alphabet[Math.floor(r() * alphabet.length)],
      ).join('')
      for (const f of [
        () => parseMrz(text),
        () => parseChipMrz(text),
        () => parseMrz(text.match(/.{1,30}/g) ?? ['']),
      ]) {
        try {
          f()
        } catch (error) {
          expect(error, JSON.stringify(text)).toBeInstanceOf(CounterError)
          expect((error as CounterError).code, JSON.stringify(text)).toBe('EMRTD_MRZ_INVALID')
        }
      }
    }
  })

  it('secure-messaging responses: wrong MACs and truncated data objects', () => {
    const response = fromHex(
      '871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000',
    )
    const fresh = () => {
      const sm = new SecureMessaging(
        tdesCipher(
          fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'),
          fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8'),
        ),
        fromHex('887022120C06C22A'),
      )
      sm.wrap({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 })
      return sm
    }
    // Untouched, it opens; every change to the protected part is refused.
    expect(fresh().unwrap(parseResponse(response)).data).toHaveLength(18)
    const codes = new Set<string>()
    const r = rng(3)
    for (let i = 0; i < 3000; i++) {
      const bad = mutate(response.subarray(0, response.length - 2), r)
      try {
        fresh().unwrap({ data: bad, sw: 0x9000 })
      } catch (error) {
        if (!(error instanceof CounterError))
          throw new Error(`untyped failure on ${replayable('sm', bad)}`, { cause: error })
        codes.add(error.code)
      }
    }
    expect([...codes].sort()).toEqual(['EMRTD_SM_MAC_FAILED', 'EMRTD_SM_MALFORMED'])
    fuzz('capdu', fromHex('0CB000040D9701128E082EA28A70F3C7B53500'), decodeCommand, 2000)
  })

  it('stays fast on every input', () => {
    expect(slowest, slowestInput).toBeLessThan(2000)
  })
})
