/**
 * The passport reader in a training core: a chip waits for its key, is read, becomes the
 * applicant exactly as an ID card does (licence queries carry its number and holder type), and is
 * forgotten when lifted or on 下一位. Real-name and real-person checks go to the simulated
 * platform, signed, and only ever for the chip holder at the window.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import jpeg from 'jpeg-js'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EmrtdState, TrainingDocument } from '../../../../../src/shared/domain'
import { trainingConfig } from '../../../../../src/main/config'
import { createCore, type Core } from '../../../../../src/main/core'
import { silentLogger } from '../../../../../src/main/log'
import { drawFace } from '../../../../../src/main/training/emrtd-sim'

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const root = resolve(import.meta.dirname, '../../../../..')
let core: Core
let docs: TrainingDocument[]

async function call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
  const r = (await core.dispatch(method, args)) as {
    ok: boolean
    value?: T
    error?: { code: string }
  }
  if (!r.ok) throw Object.assign(new Error(r.error!.code), r.error)
  return r.value as T
}

async function until(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('timed out')
}

const state = () => call<EmrtdState>('emrtd.state')
const phase = async (p: string) => until(async () => (await state()).phase === p)
const doc = (id: string) => docs.find((d) => d.id === id)!

beforeAll(async () => {
  core = await createCore({
    config: trainingConfig(),
    dataDir: mkdtempSync(join(tmpdir(), 'emrtd-core-')),
    resourcesDir: join(root, 'resources'),
    version: 't',
    logger: silentLogger,
  })
  await core.start()
  docs = await call<TrainingDocument[]>('emrtd.trainingDocuments')
})
afterAll(async () => {
  await core?.stop()
})

describe('the simulated passport reader in training mode', () => {
  it('shows as a device, imports the training CSCA, lists the training documents with their data pages', async () => {
    const status = await core.handlers.app.status()
    expect(status.devices).toContainEqual(
      expect.objectContaining({ id: 'emrtd-sim', kind: 'emrtd', simulated: true, state: 'ready' }),
    )
    expect(await call('emrtd.cscaList')).toEqual([
      expect.objectContaining({ country: 'CN', source: 'training' }),
    ])
    expect(docs.map((d) => d.id)).toContain('passport-liu')
    expect(doc('passport-liu').printedMrz).toHaveLength(2)
    expect(doc('permit-cs-wang').printedMrz[0]).toMatch(/^CS/)
  })

  it('waits for the key, reads, identifies the holder, scopes licence queries to the passport, forgets on lifting', async () => {
    await call('emrtd.trainingPlace', 'passport-liu', {})
    await phase('need-key')
    const events: EmrtdState[] = []
    const off = core.onEvent((e, p) => e === 'emrtd' && events.push(p as EmrtdState))
    await call('emrtd.setKey', { kind: 'mrz', lines: doc('passport-liu').printedMrz })
    await phase('done')
    off()
    // Progress went through every file, in order.
    const files = [...new Set(events.map((e) => e.progress?.file).filter(Boolean))]
    expect(files).toEqual(['COM', 'DG14', 'DG1', 'DG2', 'DG11', 'DG12', 'DG15', 'SOD'])
    const fractions = events
      .map((e) => e.progress?.fraction)
      .filter((f): f is number => f !== undefined)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))

    const view = await core.handlers.session.current()
    expect(view.holder).toMatchObject({
      source: 'emrtd',
      documentType: 'passport',
      holderTypeCode: '414',
      name: '刘芳',
      latinName: 'LIU FANG',
      documentNumberMasked: 'E6*****73',
      photo: { state: 'decoded', format: 'jpeg2000' },
      chip: {
        accessControl: 'PACE',
        passive: { verdict: 'genuine' },
        active: { state: 'passed' },
        chipAuthentication: { state: 'passed' },
      },
    })
    expect(JSON.stringify(view)).not.toContain('E60418273')

    await call('session.selectMatter', '410100-ZRZY-0031')
    await call('licences.list')
    const query = core.training!.sandbox!.requests.filter((r) => r.path.endsWith('/query')).at(-1)!
    expect(query.body).toMatchObject({ holderCode: 'E60418273', holderIdentityType: '414' })

    await call('emrtd.trainingRemove')
    await until(async () => (await core.handlers.session.current()).holder === null)
    expect(await state()).toMatchObject({ phase: 'idle', chipPresent: false })
  })

  it('a wrong MRZ: access denied, the key is asked for again, then the right one reads', async () => {
    await call('emrtd.trainingPlace', 'passport-liu-wrong-mrz', {})
    await phase('need-key')
    await call('emrtd.setKey', { kind: 'mrz', lines: doc('passport-liu-wrong-mrz').printedMrz })
    await phase('failed')
    expect(await state()).toMatchObject({ keyReady: false, error: { code: 'EMRTD_ACCESS_DENIED' } })
    await call('emrtd.setKey', {
      kind: 'fields',
      documentType: 'passport',
      documentNumber: 'E60418273',
      birthDate: '1986-04-23',
      expiryDate: doc('passport-liu').printedMrz[1]!.slice(21, 27),
    })
    await phase('done')
    expect((await core.handlers.session.current()).holder).toMatchObject({
      source: 'emrtd',
      name: '刘芳',
    })
    await call('session.next')
    await until(async () => (await state()).phase === 'idle')
    await call('emrtd.trainingRemove')
  })

  it('refuses an MRZ whose check digits fail, naming the field, before touching the chip', async () => {
    const lines = [...doc('passport-liu').printedMrz]
    lines[1] = lines[1]!.slice(0, 19) + ((Number(lines[1]![19]) + 1) % 10) + lines[1]!.slice(20)
    await expect(call('emrtd.setKey', { kind: 'mrz', lines })).rejects.toMatchObject({
      code: 'EMRTD_MRZ_INVALID',
      message: expect.stringContaining('出生日期'),
    })
    expect(await call('emrtd.checkMrz', lines)).toMatchObject({
      valid: false,
      checks: { birthDate: false, documentNumber: true },
    })
    expect(await call('emrtd.checkMrz', ['hello'])).toMatchObject({
      valid: false,
      problem: expect.any(String),
    })
  })

  it('reads with the key typed before the document is placed, also slowly and without extended length', async () => {
    await call('emrtd.setKey', { kind: 'mrz', lines: doc('permit-cs-wang').printedMrz })
    expect(await state()).toMatchObject({ keyReady: true, phase: 'idle' })
    const t0 = performance.now()
    await call('emrtd.trainingPlace', 'permit-cs-wang', { slow: true, noExtendedLength: true })
    await phase('done')
    // A slow chip: 120 ms per APDU at 106 kbit/s.
    expect(performance.now() - t0).toBeGreaterThan(1000)
    expect((await core.handlers.session.current()).holder).toMatchObject({
      documentType: 'cs',
      holderTypeCode: '999',
      name: '王晓东',
    })
  })
})

describe('real-name and real-person checks against the simulated platform', () => {
  const photo = () => {
    const img = drawFace(
      { skin: [220, 180, 150], hair: [30, 30, 30], clothes: [40, 40, 60], longHair: false },
      320,
      240,
    )
    return (
      'data:image/jpeg;base64,' +
      Buffer.from(
        jpeg.encode({ data: img.rgba, width: img.width, height: img.height }, 85).data,
      ).toString('base64')
    )
  }
  const blank = () => {
    const data = new Uint8Array(320 * 240 * 4).fill(128)
    return Buffer.from(jpeg.encode({ data, width: 320, height: 240 }, 85).data).toString('base64')
  }

  it('checks the chip holder at the window: consistent, match; a blank frame is poor quality', async () => {
    // The CS permit from the previous test is still the applicant.
    expect(await call('realname.checkName')).toMatchObject({
      result: 'consistent',
      reference: expect.stringMatching(/^NIA/),
    })
    expect(await call('realname.checkPerson', photo())).toMatchObject({
      result: 'match',
      score: expect.any(Number),
    })
    expect(await call('realname.checkPerson', blank())).toMatchObject({ result: 'poor-quality' })
    await expect(call('realname.checkPerson', 'A'.repeat(200))).rejects.toMatchObject({
      code: 'REALNAME_PHOTO_INVALID',
    })
  })

  it('needs a chip holder: nothing is checked for nobody', async () => {
    await call('emrtd.trainingRemove')
    await until(async () => (await core.handlers.session.current()).holder === null)
    await expect(call('realname.checkName')).rejects.toMatchObject({ code: 'EMRTD_NO_DOCUMENT' })
  })

  it('a foreign passport is not in the register; the CR permit holder does not match the live photo', async () => {
    await call('emrtd.trainingPlace', 'passport-foreign', {})
    await phase('need-key')
    await call('emrtd.setKey', { kind: 'mrz', lines: doc('passport-foreign').printedMrz })
    await phase('done')
    expect((await core.handlers.session.current()).holder).toMatchObject({
      chip: { passive: { verdict: 'unknown-csca' } },
    })
    expect(await call('realname.checkName')).toMatchObject({ result: 'inconsistent' })
    await call('emrtd.trainingPlace', 'permit-cr-wong', {})
    await phase('need-key')
    await call('emrtd.setKey', { kind: 'can', can: '523194' })
    await phase('done')
    expect(await call('realname.checkPerson', photo())).toMatchObject({ result: 'no-match' })
    await call('emrtd.trainingRemove')
  })
})
