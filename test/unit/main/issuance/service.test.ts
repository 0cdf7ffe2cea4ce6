/**
 * Issuing at the window, end to end in the core: the form prefilled from the identified holder,
 * the exact bytes previewed are the bytes signed, and the licence record and its outbox item
 * are written together — or not at all. Status changes follow the rules and queue the same way.
 *
 * The OFD writer is not part of this domain: `documents` here returns fixed fixture bytes (not an
 * OFD) and records what it was asked, so the test sees exactly what the service hands over.
 */
import { resolve } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import type { IdCardHolder, SignerChoice } from '../../../../src/shared/domain'
import { maskIdNumber, parseLicenceId } from '../../../../src/shared/ids'
import type { Staff } from '../../../../src/main/auth'
import { sm3 } from '../../../../src/main/crypto'
import {
  createSealer,
  createTemplateStore,
  IssuanceService,
  OutboxStore,
  TRAINING_LICENCE_TYPES,
  type ComposeInput,
  type IssuanceDocuments,
} from '../../../../src/main/issuance'
import { silentLogger } from '../../../../src/main/log'
import type { Applicant } from '../../../../src/main/session'
import {
  bundledTables,
  chineseDaysTables,
  deadlinePolicy,
  WorkingCalendar,
} from '../../../../src/main/sync'
import { FIXTURE_DOCUMENT, openTestDb, TEST_KEY } from '../sync/helpers'

const DISABILITY = '51100000500010176E001'
const FOOD = '11100000000018569J006'
const NOW = Date.parse('2026-04-03T16:30:00+08:00') // Friday before 清明

const zhang: Applicant = {
  kind: 'person',
  code: '410105197805160032',
  holderTypeCode: '111',
  name: '张建国',
  view: {
    source: 'idcard',
    cardType: 'resident',
    holderTypeCode: '111',
    name: '张建国',
    sex: 'male',
    nation: '汉',
    birthDate: '1978-05-16',
    address: '河南省郑州市金水区花园路38号院2号楼1单元502号',
    idNumberMasked: '410105********0032',
    idNumberCheckOk: true,
    validFrom: '2016-03-01',
    validTo: '2036-03-01',
    expired: false,
    photo: { state: 'no-decoder' },
    readAt: '2026-04-03T08:00:00.000Z',
  } satisfies IdCardHolder,
}

class RecordingDocuments implements IssuanceDocuments {
  composed: ComposeInput[] = []
  signed: Uint8Array[] = []
  failSign = false
  async signers() {
    return [{ choice: { kind: 'training' } as SignerChoice, label: '培训印章', available: true }]
  }
  async compose(input: ComposeInput) {
    this.composed.push(input)
    // Different bytes per licence, so "the bytes signed are the bytes previewed" can be checked.
    return Buffer.concat([Buffer.from(input.identifier), FIXTURE_DOCUMENT])
  }
  async render() {
    return [{ widthMm: 210, heightMm: 148, image: 'data:image/png;base64,AAAA' }]
  }
  async sign(ofd: Uint8Array) {
    if (this.failSign) throw new Error('token removed')
    this.signed.push(ofd)
    return {
      bytes: Buffer.concat([ofd, Buffer.from('-signed')]),
      signedAt: new Date(NOW).toISOString(),
      sealName: '培训演示政务服务中心电子印章',
      signerName: '培训签章人',
    }
  }
}

let now: number
let applicant: Applicant | undefined
let generation: number
let staff: Staff | null
let documents: RecordingDocuments
let service: IssuanceService
let outbox: OutboxStore
let queued: number

beforeEach(() => {
  now = NOW
  applicant = zhang
  generation = 1
  staff = {
    name: '王芳',
    code: '410100198506120025',
    role: 'clerk',
    certificate: {
      serialNumber: '20250001',
      issuer: '培训 CA',
      sha256: 'ab',
      notAfter: '2035-12-31',
    },
  }
  documents = new RecordingDocuments()
  queued = 0
  const db = openTestDb()
  const sealer = createSealer(TEST_KEY)
  const templates = createTemplateStore(db, silentLogger)
  templates.replace(TRAINING_LICENCE_TYPES, 'test')
  outbox = new OutboxStore(db, sealer)
  const calendar = new WorkingCalendar([
    ...chineseDaysTables(),
    ...bundledTables(resolve(import.meta.dirname, '../../../../resources')),
  ])
  service = new IssuanceService({
    db,
    templates,
    outbox,
    sealer,
    documents,
    deadlines: deadlinePolicy(() => calendar),
    issuer: {
      name: '郑州市金水区政务服务中心',
      code: '11410105MB1613052U',
      region: '410105',
      terminalId: 'ZZ-JS-03',
    },
    logger: silentLogger,
    applicant: () => ({ applicant, generation }),
    staff: () => staff,
    queued: () => queued++,
    now: () => now,
  })
})

const request = {
  typeCode: DISABILITY,
  values: { address: '河南省郑州市金水区花园路38号院', category: '肢体残疾', level: '二级' },
  validFrom: '2026-04-03',
  validTo: '2036-04-02',
}

describe('the form', () => {
  it('lists types with the ones this holder may receive marked', () => {
    const types = service.types()
    expect(types.find((t) => t.typeCode === DISABILITY)?.allowedForHolder).toBe(true)
    expect(types.find((t) => t.typeCode === FOOD)?.allowedForHolder).toBe(false)
  })

  it('is prefilled from the holder, with the number masked on screen', () => {
    const d = service.draft(DISABILITY)
    expect(d.values).toMatchObject({
      name: '张建国',
      sex: '男',
      birthDate: '1978-05-16',
      idNumber: '410105********0032',
      address: '河南省郑州市金水区花园路38号院2号楼1单元502号',
      category: '',
    })
    expect(d.holder).toEqual({
      name: '张建国',
      codeMasked: '410105********0032',
      identityType: '111',
      identityTypeName: '公民身份号码',
    })
    expect(d).toMatchObject({ validFrom: '2026-04-03', validTo: '2036-04-02' })
    expect(d.issues.map((i) => i.field)).toEqual(['category', 'level'])
    expect(JSON.stringify(d)).not.toContain(zhang.code)
  })

  it('refuses a type the holder type does not allow, and no holder at all', () => {
    expect(() => service.draft(FOOD)).toThrow(
      expect.objectContaining({ code: 'ISSUANCE_HOLDER_TYPE' }),
    )
    applicant = undefined
    expect(() => service.draft(DISABILITY)).toThrow(
      expect.objectContaining({ code: 'SCOPE_NO_HOLDER' }),
    )
  })

  it('takes holder-bound fields from the session, whatever the screen sends', async () => {
    const issues = service.validate(DISABILITY, {
      ...request.values,
      idNumber: '410105********0032',
      name: '李四',
    })
    expect(issues).toEqual([])
    await service.preview({
      ...request,
      values: { ...request.values, name: '李四', idNumber: 'x' },
    })
    expect(documents.composed[0]!.values).toMatchObject({ name: '张建国', idNumber: zhang.code })
    expect(documents.composed[0]!.holder).toMatchObject({ code: zhang.code, identityType: '111' })
  })
})

describe('preview and signing', () => {
  it('signs exactly the previewed bytes, then writes the licence and its outbox item', async () => {
    const preview = await service.preview(request)
    expect(parseLicenceId(preview.identifier)).toMatchObject({ valid: true })
    expect(preview.number).toBe('CJ' + preview.identifier.split('.').at(-3))
    const unsigned = Buffer.concat([Buffer.from(preview.identifier), FIXTURE_DOCUMENT])
    expect(preview.sm3).toBe(Buffer.from(sm3(unsigned)).toString('hex'))
    expect(preview.bytes).toBe(unsigned.length)

    const issued = await service.sign(preview.draftId, { kind: 'training' })
    expect(Buffer.from(documents.signed[0]!).equals(unsigned)).toBe(true)
    expect(issued).toMatchObject({
      identifier: preview.identifier,
      status: '有效',
      version: 1,
      mode: 'offline',
      holderNameMasked: '张*国',
      holderCodeMasked: maskIdNumber(zhang.code),
      pending: {
        deadline: { at: '2026-04-07T23:59:59+08:00', provisional: false },
        state: 'pending',
      },
    })
    expect(issued.actions).toContain('suspend')
    expect(queued).toBe(1)
    // The clerk is on record by certificate serial, never by the ID number on the certificate.
    expect(outbox.db.prepare('SELECT issued_by FROM issued_licences').get()).toEqual({
      issued_by: 'cert:20250001',
    })

    const [item] = outbox.claim('t:1:1', 10, NOW, 60_000).items
    expect(item!.record).toMatchObject({
      kind: 'issue',
      licenseIdentifier: preview.identifier,
      holderCode: zhang.code,
      holderName: '张建国',
      issuerCode: '11410105MB1613052U',
      regionCode: '410105',
      status: '有效',
      validTo: '2036-04-02',
      sealName: '培训演示政务服务中心电子印章',
      faceData: { category: '肢体残疾', level: '二级', name: '张建国' },
    })
    expect(item!.document!.toString('latin1').endsWith('-signed')).toBe(true)
    expect(item!.documentSm3).toBe(Buffer.from(sm3(item!.document!)).toString('hex'))
    // A preview signs once.
    await expect(service.sign(preview.draftId, { kind: 'training' })).rejects.toMatchObject({
      code: 'ISSUANCE_DRAFT_EXPIRED',
    })
  })

  it('refuses invalid fields and impossible validity before composing anything', async () => {
    await expect(
      service.preview({ ...request, values: { address: '郑州' } }),
    ).rejects.toMatchObject({
      code: 'ISSUANCE_INVALID_FIELDS',
      params: { count: 3 },
    })
    await expect(service.preview({ ...request, validTo: '2026-04-01' })).rejects.toMatchObject({
      code: 'ISSUANCE_VALIDITY_INVALID',
    })
    await expect(service.preview({ ...request, validTo: 'long-term' })).rejects.toMatchObject({
      code: 'ISSUANCE_VALIDITY_INVALID',
    })
    expect(documents.composed).toHaveLength(0)
  })

  it('a preview dies with the applicant, with the clerk, and after 15 minutes', async () => {
    const p1 = await service.preview(request)
    generation++
    await expect(service.sign(p1.draftId, { kind: 'training' })).rejects.toMatchObject({
      code: 'ISSUANCE_DRAFT_EXPIRED',
    })
    const p2 = await service.preview(request)
    staff = { name: '李敏', code: '410100198209150033', role: 'clerk' }
    await expect(service.sign(p2.draftId, { kind: 'training' })).rejects.toMatchObject({
      code: 'ISSUANCE_DRAFT_EXPIRED',
    })
    const p3 = await service.preview(request)
    now += 15 * 60_000 + 1
    await expect(service.sign(p3.draftId, { kind: 'training' })).rejects.toMatchObject({
      code: 'ISSUANCE_DRAFT_EXPIRED',
    })
    expect(outbox.counts(now).total).toBe(0)
  })

  it('a failed signature issues nothing and queues nothing', async () => {
    const p = await service.preview(request)
    documents.failSign = true
    await expect(service.sign(p.draftId, { kind: 'training' })).rejects.toThrow('token removed')
    expect(service.issued()).toEqual([])
    expect(outbox.counts(now).total).toBe(0)
  })

  it('only signed-in clerks and supervisors issue', async () => {
    staff = null
    await expect(service.preview(request)).rejects.toMatchObject({ code: 'AUTH_REQUIRED' })
    staff = { name: '管理员', code: 'ADM', role: 'administrator' }
    await expect(service.preview(request)).rejects.toMatchObject({ code: 'ISSUANCE_FORBIDDEN' })
  })
})

describe('status changes', () => {
  async function issueOne() {
    const p = await service.preview(request)
    return service.sign(p.draftId, { kind: 'training' })
  }

  it('suspend and back: queued in order with the reason, back to the status before', async () => {
    const l = await issueOne()
    await service.changeStatus(l.identifier, {
      action: 'renew',
      reason: '持证人申请延续',
      validTo: '2046-04-02',
    })
    const suspended = service.changeStatus(l.identifier, {
      action: 'suspend',
      reason: '法院协助执行通知书',
    })
    expect(suspended).toMatchObject({
      status: '挂起',
      version: 3,
      actions: ['unsuspend', 'cancel', 'revoke', 'abolish'],
    })
    const back = service.changeStatus(l.identifier, { action: 'unsuspend', reason: '解除协助执行' })
    expect(back).toMatchObject({ status: '延续', version: 4, validTo: '2046-04-02' })

    const rows = outbox.rows()
    expect(rows.map((r) => [r.kind, r.action])).toEqual([
      ['issue', null],
      ['status', 'renew'],
      ['status', 'suspend'],
      ['status', 'unsuspend'],
    ])
    // One at a time, oldest first, each carrying its reason and new status.
    const seen: [string, number, string | undefined][] = []
    for (let n = 0; n < 4; n++) {
      const [item] = outbox.claim('t:1:1', 10, now, 60_000).items
      seen.push([item!.record.status, item!.version, item!.record.statusReason])
      outbox.complete([item!.id], 'library', now)
    }
    expect(seen).toEqual([
      ['有效', 1, undefined],
      ['延续', 2, '持证人申请延续'],
      ['挂起', 3, '法院协助执行通知书'],
      ['延续', 4, '解除协助执行'],
    ])
  })

  it('refuses what the status does not allow; cancelled is final', async () => {
    const l = await issueOne()
    expect(() =>
      service.changeStatus(l.identifier, { action: 'unpledge', reason: '无质押' }),
    ).toThrow(expect.objectContaining({ code: 'ISSUANCE_STATUS_NOT_ALLOWED' }))
    expect(() =>
      service.changeStatus(l.identifier, {
        action: 'renew',
        reason: '延续',
        validTo: '2030-01-01',
      }),
    ).toThrow(expect.objectContaining({ code: 'ISSUANCE_RENEW_NEEDS_DATE' }))
    service.changeStatus(l.identifier, { action: 'cancel', reason: '持证人死亡' })
    for (const action of ['renew', 'suspend', 'revoke', 'unsuspend'] as const)
      expect(() =>
        service.changeStatus(l.identifier, { action, reason: '再次变更', validTo: '2050-01-01' }),
      ).toThrow(expect.objectContaining({ code: 'ISSUANCE_STATUS_NOT_ALLOWED' }))
    expect(() =>
      service.changeStatus('1.2.156.3005.2.X', { action: 'cancel', reason: '不存在' }),
    ).toThrow(expect.objectContaining({ code: 'ISSUANCE_LICENCE_NOT_FOUND' }))
  })

  it('keeps the reason sealed at rest', async () => {
    const l = await issueOne()
    service.changeStatus(l.identifier, { action: 'revoke', reason: '以欺骗手段取得，依法吊销' })
    const raw = outbox.db.prepare('SELECT reason_box FROM licence_status_changes').get() as {
      reason_box: Buffer
    }
    expect(raw.reason_box.includes(Buffer.from('欺骗'))).toBe(false)
    expect(service.issued()[0]).toMatchObject({ status: '吊销', actions: [] })
  })
})
