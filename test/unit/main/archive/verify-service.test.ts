/**
 * "Anyone can verify": the address an archive copy's QR code opens, `<library>/archive/v1/verify`,
 * served by the sandbox library from the office's public keys and register — the same answers
 * as `cli archive verify-qr` — and the offline way the footer describes: the public key checked
 * against the printed SM3 fingerprint, then the signature checked with it alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ArchiveService,
  checkQrContent,
  keyFingerprint,
  keyId,
  qrContent,
  type ArchiveKey,
  type ArchiveQrClaims,
} from '../../../../src/main/archive'
import type { Db } from '../../../../src/main/db'
import { sm2GenerateKeyPair, sm3 } from '../../../../src/main/crypto'
import { startSandboxLibrary, type SandboxLibrary } from '../../../../src/main/training'
import type { QrCheckView } from '../../../../src/shared/domain'
import { archiveFonts, memoryDb, quietLogger, RESOURCES, tempDir } from './fixtures'

const KEY = '5d1e4c6b8a2f9e0d7c3b1a4f6e8d2c0b9a7f5e3d1c2b4a6f8e0d9c7b5a3f1e2d'
const IDENTIFIER = '1.2.156.3005.2.11100000000018569J001.11410100MB18065246.2019104471.001.2'
const NOW = new Date('2026-05-20T06:32:05Z')

let db: Db
let service: ArchiveService
let sandbox: SandboxLibrary
let key: ArchiveKey
let base: string

/** Registers a finished print of a copy and returns its archive number. */
function registerPrint(identifier: string, serial: string): string {
  const started = service.register.beginPrint(
    {
      identifier,
      businessSerial: serial,
      matterCode: 'M-SP',
      matterName: '食品经营许可',
      licence: '营业执照 91410105MA44K7QX15',
      issuerCode: '11410100MB18065246',
    },
    {
      batchId: '',
      staff: { name: '培训审核员', code: '410100********0025', role: 'supervisor' },
      paper: 'A4',
      pages: 1,
      seal: 'valid',
      verification: '电子签章有效',
      qrExpires: '2027-05-20',
    },
  )
  service.register.completePrints([started.id], 'x.pdf', '00')
  return started.archiveNo
}

const claimsFor = (archiveNo: string, over: Partial<ArchiveQrClaims> = {}): ArchiveQrClaims => ({
  archiveNo,
  identifier: IDENTIFIER,
  issuerCode: '11410100MB18065246',
  unitCode: '11410100MB00000005',
  expiresOn: '2027-05-20',
  ...over,
})

async function ask(url: string, accept = 'application/json'): Promise<QrCheckView> {
  const r = await fetch(url, { headers: { accept } })
  expect(r.status).toBe(200)
  const body = (await r.json()) as { code: string; data: QrCheckView }
  expect(body.code).toBe('0')
  return body.data
}

beforeAll(async () => {
  db = memoryDb()
  service = new ArchiveService({
    db,
    terminal: { id: 'TRAIN-01', unitName: '培训演示政务服务中心', unitCode: '11410100MB00000005' },
    settings: { extraFonts: [], systemFonts: false, qr: { validDays: 365, privateKey: KEY } },
    inForceStatuses: ['有效'],
    resourcesDir: RESOURCES,
    exportRoot: tempDir(),
    matters: () => [],
    logger: quietLogger(),
    fonts: archiveFonts(),
    now: () => NOW,
  })
  key = service.key()
  // No credentials are needed to ask; the sandbox's own token is never sent below.
  sandbox = await startSandboxLibrary({ archive: { ...service.verification(), now: () => NOW } })
  base = `${sandbox.url}/archive/v1/verify`
})
afterAll(async () => {
  await sandbox?.close()
  db?.close()
})

describe('the library verifies archive copies', () => {
  it('answers at the address the QR code opens, as verify-qr does', async () => {
    const archiveNo = registerPrint(IDENTIFIER, 'YWVERIFY01')
    const content = qrContent(base, claimsFor(archiveNo), key)
    const answer = await ask(content)
    expect(answer).toEqual(service.verifyQr(content))
    expect(answer).toMatchObject({
      valid: true,
      archiveNo,
      identifier: IDENTIFIER,
      expiresOn: '2027-05-20',
      registered: { prints: 1, printedBy: '培训审核员（410100********0025）' },
    })
    expect(answer.problem).toBeUndefined()

    // A phone's browser gets a page in Chinese.
    const page = await fetch(content, { headers: { accept: 'text/html,*/*' } })
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    expect(html).toContain('核验通过')
    expect(html).toContain(archiveNo)
    expect(html).toContain('共打印 1 次')
  })

  it('refuses a changed code, an unknown office, an expired code and a number of another licence', async () => {
    const archiveNo = registerPrint(IDENTIFIER, 'YWVERIFY02')
    const content = new URL(qrContent(base, claimsFor(archiveNo), key))
    content.searchParams.set('e', '20990101')
    expect(await ask(content.href)).toMatchObject({ valid: false, problem: 'signature' })

    const stranger = sm2GenerateKeyPair()
    const foreign = qrContent(base, claimsFor(archiveNo), {
      kid: keyId(stranger.publicKey),
      keys: stranger,
    })
    expect(await ask(foreign)).toMatchObject({ valid: false, problem: 'unknown-key' })

    const old = qrContent(base, claimsFor(archiveNo, { expiresOn: '2026-05-19' }), key)
    expect(await ask(old)).toMatchObject({ valid: false, problem: 'expired' })
    const html = await (await fetch(old, { headers: { accept: 'text/html' } })).text()
    expect(html).toContain('核验码已过有效期')

    // Signed by the office, but the register has this number for another licence.
    const other = IDENTIFIER.replace('2019104471', '2019104472')
    const mismatch = await ask(qrContent(base, claimsFor(archiveNo, { identifier: other }), key))
    expect(mismatch).toMatchObject({ valid: false, identifier: other })
    expect(mismatch.problem).toBeUndefined()

    expect(await ask(`${base}?v=1&n=x`)).toEqual({ valid: false, problem: 'format' })
    expect((await fetch(base, { method: 'POST' })).status).toBe(405)
  })

  it('checks a code printed for another address when given its whole content', async () => {
    const archiveNo = registerPrint(IDENTIFIER, 'YWVERIFY03')
    const printed = qrContent(
      'https://archive.sandbox.invalid/v1/verify',
      claimsFor(archiveNo),
      key,
    )
    const answer = await ask(`${base}?content=${encodeURIComponent(printed)}`)
    expect(answer).toMatchObject({ valid: true, archiveNo, registered: { prints: 1 } })
  })

  it('without the service: the printed fingerprint names the key that verifies the code', () => {
    const publicKey = key.keys.publicKey
    const fingerprint = keyFingerprint(publicKey)
    // Eight groups of four hex digits: the first 128 bits of SM3(public key), key id first.
    expect(fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){7}$/)
    expect(fingerprint.replaceAll(' ', '')).toBe(
      Buffer.from(sm3(publicKey)).toString('hex').slice(0, 32),
    )
    expect(fingerprint.replaceAll(' ', '').startsWith(key.kid)).toBe(true)
    // Another key has another fingerprint, so a swapped key is noticed before it is used.
    expect(keyFingerprint(sm2GenerateKeyPair().publicKey)).not.toBe(fingerprint)
    // With only the public key, the signature and the validity limit check out.
    const content = qrContent(base, claimsFor('TRAIN-01-2026-000999'), key)
    expect(
      checkQrContent(content, new Map([[keyId(publicKey), publicKey]]), '2026-05-20'),
    ).toMatchObject({
      valid: true,
    })
  })
})
