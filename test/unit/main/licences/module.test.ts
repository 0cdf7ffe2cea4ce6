import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { materialProblems, type LicenceList } from '../../../../src/shared/domain'
import { assess, manualApplicant } from '../../../../src/main/licences'
import { HOLDERS, licenceFacePng } from '../../../../src/main/training'
import { codeOf, fixture, SUPERVISOR, type Fixture } from './fixture'

const ZRZY = '410100-ZRZY-0031'
const JJ = '410100-JJ-0022'
const open: Fixture[] = []
afterEach(async () => {
  for (const f of open.splice(0)) await f.close()
})
async function make(...args: Parameters<typeof fixture>): Promise<Fixture> {
  const f = await fixture(...args)
  open.push(f)
  return f
}

const queries = (f: Fixture) => f.sandbox.requests.filter((r) => r.path.endsWith('/query'))

describe('scope enforcement in the core', () => {
  it('refuses to list without an applicant or a matter, and logs the refusal', async () => {
    const f = await make()
    expect(await codeOf(f.handlers.licences.list())).toBe('SCOPE_NO_HOLDER')
    f.identify(HOLDERS.zhang.code)
    expect(await codeOf(f.handlers.licences.list())).toBe('SCOPE_NO_MATTER')
    expect(queries(f)).toHaveLength(0)
    expect(f.audit.list().map((e) => [e.action, e.result])).toEqual([
      ['list', 'refused:SCOPE_NO_MATTER'],
      ['list', 'refused:SCOPE_NO_HOLDER'],
    ])
  })

  it('asks only for the matter’s types and the identified holder, and logs who, what and why', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    await f.handlers.licences.setSerial('ZZJS-2026-000123')
    const list = await f.handlers.licences.list()
    expect(list.items.map((i) => i.typeName)).toEqual([
      '不动产权证书',
      '不动产权证书',
      '结婚证',
      '居民户口簿',
    ])
    expect(queries(f)[0]!.body).toMatchObject({
      holderCode: HOLDERS.zhang.code,
      licenseTypeCodes: ['11100000717832007F001', '11100000000014146K004', '11100000000013338W002'],
      businessSerialNo: 'ZZJS-2026-000123',
      operator: { code: 'CERT-CLERK-01' },
    })
    const [entry] = f.audit.list()
    expect(entry).toMatchObject({
      action: 'list',
      staffName: '窗口甲',
      staffCert: 'CERT-CLERK-01',
      staffRole: 'clerk',
      terminal: 'TRAIN-01',
      holder: '410105********0032',
      holderType: '111',
      matter: ZRZY,
      reason: '办理不动产转移登记，核验权属及婚姻状况',
      businessSerial: 'ZZJS-2026-000123',
      result: 'ok',
    })
    expect(new Set(entry!.licences)).toEqual(new Set(list.items.map((i) => i.identifier)))
    expect(JSON.stringify(f.audit.list())).not.toContain(HOLDERS.zhang.code)
  })

  it('opens only identifiers listed for this applicant and this matter', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const list = await f.handlers.licences.list()
    const marriage = list.items.find((i) => i.typeName === '结婚证')!
    // Someone else's licence, and a made-up one: refused, whatever the UI sends.
    const other = await (async () => {
      const g = await make()
      g.identify(HOLDERS.wang.code, JJ)
      return (await g.handlers.licences.list()).items[0]!.identifier
    })()
    for (const id of [other, '1.2.156.3005.2.X']) {
      expect(await codeOf(f.handlers.licences.preview(id))).toBe('SCOPE_LICENCE_NOT_LISTED')
      expect(await codeOf(f.handlers.licences.verify(id))).toBe('SCOPE_LICENCE_NOT_LISTED')
      expect(await codeOf(f.handlers.licences.copy(id))).toBe('SCOPE_LICENCE_NOT_LISTED')
    }
    expect(f.sandbox.requests.filter((r) => r.path.endsWith('/file'))).toHaveLength(0)
    // Listed for 不动产转移登记, but the marriage certificate is no part of 驾驶证换证.
    f.ctx.session.selectMatter(JJ)
    expect(await codeOf(f.handlers.licences.preview(marriage.identifier))).toBe(
      'SCOPE_LICENCE_NOT_LISTED',
    )
    expect(f.audit.list({ action: 'preview' }).every((e) => e.result.startsWith('refused:'))).toBe(
      true,
    )
  })

  it('forgets the listing at 下一位: the same identifier is refused for the next applicant', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    f.ctx.session.clear()
    f.identify(HOLDERS.li.code, ZRZY)
    expect(await codeOf(f.handlers.licences.preview(id))).toBe('SCOPE_LICENCE_NOT_LISTED')
  })

  it('drops a result that arrives after the applicant changed', async () => {
    const f = await make({ sandbox: { latencyMs: 150 } })
    f.identify(HOLDERS.zhang.code, ZRZY)
    const pending = f.handlers.licences.list()
    await new Promise((r) => setTimeout(r, 30))
    f.identify(HOLDERS.li.code, ZRZY)
    expect(await codeOf(pending)).toBe('SCOPE_APPLICANT_CHANGED')
    expect(f.audit.list()[0]).toMatchObject({ detail: 'discarded: applicant changed' })
  })
})

describe('preview, verification, copies', () => {
  it('previews a listed licence: face data beside the document, the seal honestly unchecked', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const list = await f.handlers.licences.list()
    const property = list.items.find(
      (i) => i.status.label === '有效' && i.typeName === '不动产权证书',
    )!
    const p = await f.handlers.licences.preview(property.identifier)
    expect(p.summary.identifier).toBe(property.identifier)
    expect(p.faceFields.map((x) => x.name)).toContain('坐落')
    expect(p.holderIdentityMasked).toBe('410105********0032')
    expect(p.document).toMatchObject({
      kind: 'image',
      mediaType: 'image/png',
      width: 840,
      height: 560,
    })
    expect(p.seal).toMatchObject({ state: 'unchecked' })
    expect(f.audit.list()[0]).toMatchObject({
      action: 'preview',
      licences: [property.identifier],
      result: 'ok',
    })
  })

  it('verifies with the library: in force but seal unchecked is caution; revoked is danger', async () => {
    const f = await make()
    f.identify(HOLDERS.wang.code, JJ)
    const list = await f.handlers.licences.list()
    const revoked = list.items.find((i) => i.status.label === '吊销')!
    const expired = list.items.find((i) => i.status.label === '有效' && i.expired)!
    const hukou = list.items.find((i) => i.typeName === '居民户口簿')!
    const v = await f.handlers.licences.verify(hukou.identifier)
    expect(v).toMatchObject({
      verdict: 'caution',
      library: { file: 'consistent', info: 'consistent', liveStatus: '有效' },
      seal: { state: 'unchecked' },
    })
    expect(v.findings.map((x) => x.code)).toEqual(['seal-unchecked'])
    const r = await f.handlers.licences.verify(revoked.identifier)
    expect(r.verdict).toBe('danger')
    expect(r.findings[0]).toMatchObject({ code: 'not-in-force', detail: '吊销' })
    const e = await f.handlers.licences.verify(expired.identifier)
    expect(e.findings.map((x) => x.code)).toContain('expired')
    expect(f.audit.list({ action: 'verify' })).toHaveLength(3)
  })

  it('an image without annotation is saved under its own name, never as a 加注件', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    const copy = await f.handlers.licences.copy(id)
    // Without an OFD file in the sandbox the library supplies the image; no annotation on images.
    expect(copy.annotated).toBe(false)
    expect(copy.annotation).toBeUndefined()
    expect(copy.fileName).toMatch(/-未加注副本\.png$/)
    expect(copy.fileName).not.toContain('加注件')
    const bytes = readFileSync(join(f.exportRoot, copy.path))
    expect(bytes.length).toBe(copy.bytes)
    const fileReq = f.sandbox.requests.filter((r) => r.path.endsWith('/file')).at(-1)!.body
    expect(fileReq).toMatchObject({ useReason: '办理不动产转移登记，核验权属及婚姻状况' })
    expect(f.audit.list()[0]).toMatchObject({
      action: 'download',
      licences: [id],
      result: 'ok',
      detail: expect.stringContaining('not annotated'),
    })
  })

  it('leaves no copy behind when the download cannot be logged', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    f.db.exec('ALTER TABLE audit_log RENAME TO audit_log_moved')
    expect(await codeOf(f.handlers.licences.copy(id))).toBe('AUDIT_WRITE_FAILED')
    // The library served the image and it was written; it is gone again.
    const served = f.sandbox.requests.filter(
      (r) => r.path.endsWith('/file') && (r.body as { format?: string }).format === 'png',
    )
    expect(served).toHaveLength(1)
    const copies = join(f.exportRoot, 'copies')
    const left = existsSync(copies)
      ? readdirSync(copies, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      : []
    expect(left).toEqual([])
  })

  it('carries the annotation when the library has the OFD copy', async () => {
    const ofdBytes = await import('fflate').then((m) =>
      m.zipSync({ 'OFD.xml': new TextEncoder().encode('<ofd:OFD/>') }),
    )
    const f = await make({
      sandbox: { fileFor: async (_l, format) => (format === 'ofd' ? ofdBytes : undefined) },
    })
    f.identify(HOLDERS.zhang.code, ZRZY)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    const copy = await f.handlers.licences.copy(id)
    expect(copy.annotated).toBe(true)
    expect(copy.fileName).toMatch(/-加注件\.ofd$/)
    expect(copy.annotation).toMatchObject({
      reason: '办理不动产转移登记，核验权属及婚姻状况',
      maker: '郑州市电子证照库（沙箱）',
    })
    expect(copy.annotation!.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})

describe('attach as application materials', () => {
  it('writes a record and an export (JSON + files) for the business serial', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const list = await f.handlers.licences.list()
    const usable = list.items.filter((i) => i.status.inForce && !i.expired)
    const record = await f.handlers.licences.attach({
      businessSerial: 'ZZJS-2026-000777',
      identifiers: usable.map((i) => i.identifier),
    })
    expect(record.items).toHaveLength(usable.length)
    const dir = join(f.exportRoot, record.exportPath)
    const manifest = JSON.parse(readFileSync(join(dir, 'materials.json'), 'utf8'))
    expect(manifest).toMatchObject({
      businessSerial: 'ZZJS-2026-000777',
      matter: { code: ZRZY },
      holder: { masked: '410105********0032' },
      staff: { cert: 'CERT-CLERK-01' },
    })
    for (const item of record.items) expect(existsSync(join(dir, item.fileName))).toBe(true)
    expect(readdirSync(join(f.exportRoot, 'materials', 'ZZJS-2026-000777'))).toHaveLength(1)
    const row = f.db.prepare('SELECT * FROM licence_attachment WHERE id = ?').get(record.id)
    expect(row).toMatchObject({ business_serial: 'ZZJS-2026-000777', holder: '410105********0032' })
    expect(f.audit.list()[0]).toMatchObject({
      action: 'attach',
      businessSerial: 'ZZJS-2026-000777',
      result: 'ok',
    })
  })

  it('refuses cancelled or expired licences as materials, and writes nothing', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const list = await f.handlers.licences.list()
    const cancelled = list.items.find((i) => i.status.label === '注销')!
    expect(
      await codeOf(
        f.handlers.licences.attach({
          businessSerial: 'ZZJS-2026-1',
          identifiers: [cancelled.identifier],
        }),
      ),
    ).toBe('LICENCE_NOT_USABLE')
    expect(existsSync(join(f.exportRoot, 'materials'))).toBe(false)
    expect(f.audit.list()[0]).toMatchObject({
      action: 'attach',
      result: 'failed:LICENCE_NOT_USABLE',
    })
  })
})

describe('what the library disowns is no material', () => {
  it('refuses a licence whose file the library does not recognise, even with nothing else wrong', async () => {
    // Every licence gets the same image, so the library remembers it as the last one served:
    // for the first licence it answers "not the file we issued".
    const same = licenceFacePng('1.2.156.3005.2.SAME')
    const f = await make({
      sandbox: { fileFor: async (_l, format) => (format === 'png' ? same : undefined) },
    })
    f.identify(HOLDERS.zhang.code, ZRZY)
    const [a, b] = (await f.handlers.licences.list()).items.filter(
      (i) => i.status.inForce && !i.expired,
    )
    await f.handlers.licences.preview(a!.identifier)
    await f.handlers.licences.preview(b!.identifier)
    const v = await f.handlers.licences.verify(a!.identifier)
    expect(v.library.file).toBe('inconsistent')
    expect(v.findings.map((x) => x.code)).toContain('file-inconsistent')
    expect(
      await codeOf(
        f.handlers.licences.attach({
          businessSerial: 'ZZJS-2026-12',
          identifiers: [a!.identifier],
        }),
      ),
    ).toBe('LICENCE_NOT_USABLE')
    expect(existsSync(join(f.exportRoot, 'materials'))).toBe(false)
    expect(f.audit.list({ action: 'attach' })[0]).toMatchObject({
      result: 'failed:LICENCE_NOT_USABLE',
      detail: expect.stringContaining('file-inconsistent'),
    })
  })

  it('counts every library finding, not only the seal and the status', () => {
    const ok = {
      seal: { state: 'unchecked' } as const,
      status: { code: '有效', label: '有效', inForce: true },
      expired: false,
    }
    expect(materialProblems(ok)).toEqual([])
    expect(
      materialProblems({ ...ok, library: { file: 'consistent', info: 'consistent' } }),
    ).toEqual([])
    expect(materialProblems({ ...ok, library: { file: 'unknown', info: 'inconsistent' } })).toEqual(
      ['info-inconsistent'],
    )
    expect(
      materialProblems({ ...ok, library: { file: 'inconsistent', info: 'not-found' } }),
    ).toEqual(['file-inconsistent', 'not-found'])
    expect(
      materialProblems({
        seal: { state: 'unverifiable', reason: 'x' },
        status: { code: '吊销', label: '吊销', inForce: false },
        expired: true,
      }),
    ).toEqual(['seal-unverifiable', 'not-in-force', 'expired'])
  })

  it('verdicts: what keeps a licence out of the materials is danger, listed first with its detail', () => {
    const revoked = { code: '吊销', label: '吊销', inForce: false }
    expect(
      assess({
        seal: { state: 'unchecked', reason: '证照库离线' },
        library: { file: 'inconsistent', info: 'unknown', reachable: false },
        status: revoked,
        expired: false,
        identifierCheckOk: false,
      }),
    ).toEqual({
      verdict: 'danger',
      findings: [
        { code: 'not-in-force', tone: 'danger', detail: '吊销' },
        { code: 'file-inconsistent', tone: 'danger' },
        { code: 'seal-unchecked', tone: 'caution', detail: '证照库离线' },
        { code: 'library-unreachable', tone: 'caution' },
        { code: 'identifier-check', tone: 'caution' },
      ],
    })
    const clean = {
      library: { file: 'consistent', info: 'consistent', reachable: true },
      status: { code: '有效', label: '有效', inForce: true },
      expired: false,
      identifierCheckOk: true,
    } as const
    expect(assess({ ...clean, seal: { state: 'invalid', reason: '签名值不符' } })).toEqual({
      verdict: 'danger',
      findings: [{ code: 'seal-invalid', tone: 'danger', detail: '签名值不符' }],
    })
    expect(assess({ ...clean, seal: { state: 'unchecked' } })).toEqual({
      verdict: 'caution',
      findings: [{ code: 'seal-unchecked', tone: 'caution' }],
    })
    expect(assess({ ...clean, seal: { state: 'valid', signer: '郑州市民政局' } })).toEqual({
      verdict: 'ok',
      findings: [],
    })
  })
})

describe('offline', () => {
  it('shows the cached list for the current applicant, labelled with its time', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const online = await f.handlers.licences.list()
    f.sandbox.setFault({ kind: 'reset' })
    const offline: LicenceList = await f.handlers.licences.list()
    expect(offline.offline).toMatchObject({ asOf: online.fetchedAt, reason: 'LIBRARY_OFFLINE' })
    expect(offline.items.map((i) => i.identifier)).toEqual(online.items.map((i) => i.identifier))
    expect(f.ctx.library.status().state).toBe('offline')
    expect(f.audit.list()[0]).toMatchObject({ action: 'list', result: 'cache' })
    // A file previewed while online can still be shown, marked as cached.
  })

  it('keeps nothing about an applicant after 下一位 by default', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    await f.handlers.licences.list()
    f.ctx.session.clear()
    f.sandbox.setFault({ kind: 'reset' })
    f.identify(HOLDERS.zhang.code, ZRZY)
    expect(await codeOf(f.handlers.licences.list())).toBe('LIBRARY_OFFLINE')
  })

  it('keeps a returning applicant’s data when the policy is terminal-wide, until it expires', async () => {
    let t = Date.parse('2026-03-02T02:00:00Z')
    const f = await make({
      config: {
        licences: {
          maxFileMb: 20,
          sealRoots: [],
          cache: { scope: 'terminal', lists: true, files: true, ttlMinutes: 30 },
        },
      },
      now: () => new Date(t),
    })
    f.identify(HOLDERS.zhang.code, ZRZY)
    await f.handlers.licences.list()
    f.ctx.session.clear()
    f.sandbox.setFault({ kind: 'reset' })
    f.identify(HOLDERS.zhang.code, ZRZY)
    expect((await f.handlers.licences.list()).offline).toBeDefined()
    t += 31 * 60_000
    expect(await codeOf(f.handlers.licences.list())).toBe('LIBRARY_OFFLINE')
  })
})

describe('QR look-up', () => {
  it('looks up and verifies the applicant’s own licence; refuses another holder’s, expired and garbage codes', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const list = await f.handlers.licences.list()
    const marriage = list.items.find((i) => i.typeName === '结婚证')!
    const found = await f.handlers.licences.qr(f.sandbox.qrFor(marriage.identifier))
    expect(found.summary.identifier).toBe(marriage.identifier)
    expect(found.verification.library.info).toBe('consistent')

    const g = await make()
    g.identify(HOLDERS.li.code, ZRZY)
    const liProperty = (await g.handlers.licences.list()).items[0]!.identifier
    expect(await codeOf(f.handlers.licences.qr(f.sandbox.qrFor(liProperty)))).toBe(
      'SCOPE_QR_OTHER_HOLDER',
    )
    expect(await codeOf(f.handlers.licences.qr(f.sandbox.qrFor(marriage.identifier, -5)))).toBe(
      'LICENCE_QR_EXPIRED',
    )
    expect(await codeOf(f.handlers.licences.qr('https://example.invalid/not-a-licence'))).toBe(
      'LICENCE_QR_INVALID',
    )
    // The other holder's licence did not become viewable.
    expect(await codeOf(f.handlers.licences.preview(liProperty))).toBe('SCOPE_LICENCE_NOT_LISTED')
    expect(f.audit.list({ action: 'qr-lookup' }).map((e) => e.result)).toEqual([
      'failed:LICENCE_QR_INVALID',
      'failed:LICENCE_QR_EXPIRED',
      'refused:SCOPE_QR_OTHER_HOLDER',
      'ok',
    ])
  })
})

describe('manual holder entry', () => {
  it('is for supervisors only, with a reason, and logged', async () => {
    const f = await make()
    const input = {
      kind: 'person' as const,
      holderTypeCode: '111',
      code: HOLDERS.zhang.code,
      name: '张建国',
      reason: '身份证芯片损坏，已核对户口簿原件',
    }
    expect(await codeOf(Promise.resolve().then(() => f.handlers.licences.enterHolder(input)))).toBe(
      'ROLE_SUPERVISOR_REQUIRED',
    )
    expect(f.ctx.session.view().holder).toBeNull()
    f.staff.who = SUPERVISOR
    expect(
      await codeOf(
        Promise.resolve().then(() =>
          f.handlers.licences.enterHolder({ ...input, code: '410105197805160033' }),
        ),
      ),
    ).toBe('MANUAL_HOLDER_INVALID')
    const view = await f.handlers.licences.enterHolder(input)
    expect(view.holder).toMatchObject({
      source: 'manual',
      idNumberMasked: '410105********0032',
      enteredBy: '审核乙',
      reason: input.reason,
    })
    expect(f.audit.list({ action: 'manual-holder' }).map((e) => [e.result, e.staffRole])).toEqual([
      ['ok', 'supervisor'],
      ['failed:MANUAL_HOLDER_INVALID', 'supervisor'],
      ['refused:ROLE_SUPERVISOR_REQUIRED', 'clerk'],
    ])
    f.ctx.session.selectMatter(ZRZY)
    expect((await f.handlers.licences.list()).items).toHaveLength(4)
  })

  it('takes only the holder types a supervisor may type in, each for its own kind', () => {
    const supervisor = { name: '审核乙' }
    const passport = {
      kind: 'person' as const,
      holderTypeCode: '414',
      code: 'e12345678',
      name: '史密斯',
      reason: '护照无芯片，已核对原件',
    }
    expect(manualApplicant(passport, supervisor)).toMatchObject({
      kind: 'person',
      holderTypeCode: '414',
      code: 'E12345678',
    })
    const other = { ...passport, kind: 'enterprise' as const, holderTypeCode: '099' }
    expect(manualApplicant({ ...other, code: '12345678-9' }, supervisor).kind).toBe('enterprise')
    for (const wrong of [
      { ...passport, holderTypeCode: '999' },
      { ...passport, holderTypeCode: '001' },
      { ...passport, kind: 'enterprise' as const },
    ])
      expect(() => manualApplicant(wrong, supervisor)).toThrow(
        expect.objectContaining({ code: 'MANUAL_HOLDER_INVALID' }),
      )
  })
})

describe('hostile library', () => {
  it.each([
    [{ kind: 'wrong-types' } as const, 'LIBRARY_BAD_RESPONSE'],
    [{ kind: 'not-json' } as const, 'LIBRARY_BAD_RESPONSE'],
    [{ kind: 'huge', bytes: 40 * 1024 * 1024 } as const, 'LIBRARY_BAD_RESPONSE'],
    [{ kind: 'status', status: 503 } as const, 'LIBRARY_SERVER_ERROR'],
    [{ kind: 'status', status: 401 } as const, 'LIBRARY_UNAUTHORIZED'],
    [{ kind: 'drip', intervalMs: 100 } as const, 'LIBRARY_TIMEOUT'],
  ])('%j → %s, logged, and the module stays usable', async (fault, code) => {
    const f = await make({ client: { timeoutMs: 600, retries: 1 } })
    f.identify(HOLDERS.zhang.code, ZRZY)
    f.sandbox.setFault(fault)
    expect(await codeOf(f.handlers.licences.list())).toBe(code)
    expect(f.audit.list()[0]).toMatchObject({ action: 'list', result: `failed:${code}` })
    f.sandbox.setFault({ kind: 'none' })
    expect((await f.handlers.licences.list()).items).toHaveLength(4)
  })

  it('an invalid OFD is refused as a file, and the preview still shows the face data', async () => {
    const f = await make({ sandbox: { fault: { kind: 'invalid-ofd', variant: 'truncated' } } })
    f.identify(HOLDERS.zhang.code, ZRZY)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    expect(await codeOf(f.handlers.licences.copy(id))).toBe('LICENCE_FILE_INVALID')
    expect(existsSync(join(f.exportRoot, 'copies'))).toBe(false)
    const v = await f.handlers.licences.verify(id)
    expect(v.seal).toMatchObject({ state: 'unverifiable' })
    expect(v.verdict).toBe('danger')
  })
})

describe('the access log is a precondition', () => {
  it('returns no data when the log cannot be written', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    f.db.exec('ALTER TABLE audit_log RENAME TO audit_log_moved')
    expect(await codeOf(f.handlers.licences.list())).toBe('AUDIT_WRITE_FAILED')
  })
})

describe('unforeseen failures', () => {
  it('a preview that fails in an unexpected way is still on record', async () => {
    const f = await make()
    f.identify(HOLDERS.zhang.code, ZRZY)
    const id = (await f.handlers.licences.list()).items[0]!.identifier
    // A bug rather than a CounterError: the status update after the download throws.
    const library = f.ctx.library as { setStatus: (s: string) => void }
    library.setStatus = () => {
      throw new TypeError('boom')
    }
    await expect(f.handlers.licences.preview(id)).rejects.toThrow('boom')
    expect(f.audit.list()[0]).toMatchObject({
      action: 'preview',
      licences: [id],
      result: 'failed:INTERNAL',
    })
  })
})

describe('nobody signed in', () => {
  it('refuses every licence call while the window is locked or signed out, and logs the attempt', async () => {
    const f = await make({ staff: null })
    f.identify(HOLDERS.zhang.code, ZRZY)
    expect(await codeOf(f.handlers.licences.list())).toBe('AUTH_REQUIRED')
    expect(await codeOf(f.handlers.licences.preview('1.2.156.3005.2.X'))).toBe('AUTH_REQUIRED')
    expect(queries(f)).toHaveLength(0)
    expect(f.audit.list().map((e) => [e.action, e.staffName, e.result])).toEqual([
      ['preview', '(未登录)', 'refused:AUTH_REQUIRED'],
      ['list', '(未登录)', 'refused:AUTH_REQUIRED'],
    ])
  })
})
