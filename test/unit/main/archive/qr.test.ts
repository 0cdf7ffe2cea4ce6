import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import {
  checkQrContent,
  keyId,
  parseQrContent,
  qrContent,
  qrPath,
  type ArchiveQrClaims,
} from '../../../../src/main/archive'
import { sm2GenerateKeyPair } from '../../../../src/main/crypto'
import { rasterisePage } from '../../../../src/main/ofd'

const keys = sm2GenerateKeyPair()
const key = { kid: keyId(keys.publicKey), keys }
const trusted = new Map([[key.kid, keys.publicKey]])
const claims: ArchiveQrClaims = {
  archiveNo: 'ZZ-JS-03-2026-000123',
  identifier: '1.2.156.3005.2.11100000000018569J001.11410100MB18065246.2019104471.001.2',
  issuerCode: '11410100MB18065246',
  unitCode: '11410105MB1613052U',
  expiresOn: '2027-05-20',
}
const BASE = 'https://licence.example.gov.cn/api/archive/v1/verify'

describe('archive QR token', () => {
  it('names the copy, the licence, its issuer and the office, and verifies with the office key', () => {
    const content = qrContent(BASE, claims, key)
    expect(content.startsWith(`${BASE}?v=1&n=ZZ-JS-03-2026-000123&i=1.2.156.3005.2.`)).toBe(true)
    expect(content).toContain('&o=11410100MB18065246&u=11410105MB1613052U&e=20270520&k=')
    const parsed = parseQrContent(content)
    expect(parsed.ok && parsed.claims).toEqual(claims)
    expect(checkQrContent(content, trusted, '2026-05-20')).toEqual({
      valid: true,
      claims,
      kid: key.kid,
    })
    // Still valid on its last day, expired the day after.
    expect(checkQrContent(content, trusted, '2027-05-20').valid).toBe(true)
    expect(checkQrContent(content, trusted, '2027-05-21')).toMatchObject({
      valid: false,
      problem: 'expired',
    })
  })

  it('refuses any changed claim, an unknown key and malformed content', () => {
    const content = qrContent(BASE, claims, key)
    for (const [param, value] of [
      ['n', 'ZZ-JS-03-2026-000124'],
      ['i', claims.identifier.replace('2019104471', '2019104472')],
      ['o', '11410100MB1782075G'],
      ['u', '11410100MB00000005'],
      ['e', '20990101'],
    ] as const) {
      const url = new URL(content)
      url.searchParams.set(param, value)
      expect(checkQrContent(url.toString(), trusted, '2026-05-20')).toMatchObject({
        valid: false,
        problem: 'signature',
      })
    }
    const other = sm2GenerateKeyPair()
    expect(
      checkQrContent(content, new Map([[keyId(other.publicKey), other.publicKey]]), '2026-05-20'),
    ).toMatchObject({ valid: false, problem: 'unknown-key' })
    // Another key given the same id is still refused: the signature decides.
    expect(
      checkQrContent(content, new Map([[key.kid, other.publicKey]]), '2026-05-20'),
    ).toMatchObject({ valid: false, problem: 'signature' })
    for (const bad of [
      'not a url',
      `${BASE}?v=2&n=x&i=y&e=20270520&k=00000000&t=${'A'.repeat(86)}`,
      `${BASE}?v=1&n=x&i=y&e=2027-05-20&k=00000000&t=${'A'.repeat(86)}`,
      `${BASE}?v=1&n=x&i=y&e=20270520&k=00000000&t=short`,
      `${BASE}?v=1&i=y&e=20270520&k=00000000&t=${'A'.repeat(86)}`,
    ])
      expect(checkQrContent(bad, trusted, '2026-05-20')).toEqual({
        valid: false,
        problem: 'format',
      })
  })

  it('keeps a verification address that has its own query', () => {
    const content = qrContent(`${BASE}?office=zz`, claims, key)
    expect(content).toContain('?office=zz&v=1&')
    expect(checkQrContent(content, trusted, '2026-05-20').valid).toBe(true)
  })

  it('draws a symbol a scanner reads back (painted by the OFD rasteriser)', async () => {
    const content = qrContent(BASE, claims, key)
    const page = {
      index: 0,
      width: 40,
      height: 40,
      ops: [qrPath(content, 5, 5, 30)],
      glyphs: {},
      images: {},
      fonts: {},
      warnings: [],
    }
    const png = PNG.sync.read(Buffer.from(await rasterisePage(page, { dpi: 300 })))
    const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
    expect(found?.data).toBe(content)
  })
})

describe('QR content from a scanner', () => {
  it('never throws on garbage and accepts nothing that was not signed', { timeout: 60_000 }, () => {
    const good = qrContent(BASE, claims, key)
    let s = 99
    const rnd = (n: number) => (s = (s * 1103515245 + 12345) & 0x7fffffff) % n
    const alphabet = `${good}%&=?#\u0000\u{20bb7}é `
    for (let i = 0; i < 600; i++) {
      let input: string
      if (i % 2) {
        const chars = [...good]
        for (let k = 0; k < 1 + rnd(4); k++)
          chars[rnd(chars.length)] = alphabet[rnd(alphabet.length)]!
        input = chars.join('')
      } else input = Array.from({ length: rnd(400) }, () => alphabet[rnd(alphabet.length)]).join('')
      const check = checkQrContent(input, trusted, '2026-05-20')
      if (check.valid) expect(check.claims).toEqual(claims)
    }
  })
})
