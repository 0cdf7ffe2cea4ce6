/**
 * Issuance through the real core in training mode, as the window drives it: the training card is
 * read, the form comes prefilled, the OFD is previewed and sealed with the training key, the
 * licence reaches the sandbox library through the outbox within moments, a status change follows
 * it — and only a supervisor sees the outbox.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { MethodName } from '../../../../src/shared/api'
import { trainingConfig } from '../../../../src/main/config'
import { createCore, type Core } from '../../../../src/main/core'
import { silentLogger } from '../../../../src/main/log'

let core: Core
let dataDir: string

async function call<T = unknown>(method: MethodName, ...args: unknown[]): Promise<T> {
  const r = await core.dispatch(method, args)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as T
}

const DISABILITY = '51100000500010176E001'

/** Places the training card of 张建国 and waits until the window has identified him. */
async function identifyZhang(): Promise<void> {
  await call('training.placeCard', 'resident-zhang')
  await expect
    .poll(async () => (await call<{ holder: unknown }>('session.current')).holder, {
      timeout: 10_000,
    })
    .not.toBeNull()
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'issuance-core-'))
  core = await createCore({
    config: trainingConfig(),
    dataDir,
    resourcesDir: resolve(import.meta.dirname, '../../../../resources'),
    version: 'test',
    logger: silentLogger,
  })
  await core.start()
}, 60_000)
afterAll(async () => {
  await core?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

it('issues at the window and the licence reaches the library; a status change follows', async () => {
  // The catalogue comes from the library's publication.
  await expect
    .poll(async () => (await call<{ typeCode: string }[]>('issuance.types')).length, {
      timeout: 15_000,
    })
    .toBe(3)
  await identifyZhang()

  const draft = await call<{ values: Record<string, string> }>('issuance.draft', DISABILITY)
  expect(draft.values.idNumber).toBe('410105********0032')
  const preview = await call<{
    draftId: string
    identifier: string
    sm3: string
    pages: unknown[]
  }>('issuance.preview', {
    typeCode: DISABILITY,
    values: { ...draft.values, category: '肢体残疾', level: '二级' },
    validFrom: '2026-03-02',
    validTo: '2036-03-01',
  })
  expect(preview.pages).toHaveLength(1)
  const issued = await call<{ identifier: string; status: string }>(
    'issuance.sign',
    preview.draftId,
    {
      kind: 'training',
    },
  )
  expect(issued).toMatchObject({ identifier: preview.identifier, status: '有效' })

  const received = core.training!.sandbox!.exchange.received
  await expect.poll(() => received.size, { timeout: 15_000 }).toBe(1)
  const item = [...received.values()][0]!
  expect(item.metadata).toMatchObject({
    licenseIdentifier: preview.identifier,
    holderCode: '410105197805160032',
    holderName: '张建国',
    issuerCode: '11410100MB00000005',
    issueMode: 'offline',
  })
  expect(item.file!.size).toBeGreaterThan(20_000)
  // The library got the sealed file, not the previewed draft.
  expect(item.file!.sm3).not.toBe(preview.sm3)

  await call('issuance.changeStatus', preview.identifier, {
    action: 'suspend',
    reason: '法院协助执行通知书',
  })
  await expect.poll(() => received.size, { timeout: 15_000 }).toBe(2)
  expect(core.training!.sandbox!.exchange.versionOf(preview.identifier)).toBe(2)
  expect(await call('outbox.summary')).toMatchObject({ pending: 0, parked: 0 })

  // The trainee is a clerk: the outbox itself is for supervisors.
  await expect(call('outbox.items', {})).rejects.toMatchObject({ code: 'SYNC_FORBIDDEN' })
  await expect(call('calendar.import', { fileName: 'x.txt', text: 'x' })).rejects.toMatchObject({
    code: 'SYNC_FORBIDDEN',
  })
  const history = await call<{ completed: number; sentOnTime: number }[]>('sync.history', 1).catch(
    (e: { code: string }) => e.code,
  )
  expect(history).toBe('SYNC_FORBIDDEN')

  // A supervisor signs in with the training key: the dashboard's data is theirs.
  await call('cakey.trainingInsert', 'staff-supervisor')
  const supervisorKey = async () =>
    (await call<{ tokenId: string; holder: { name: string } | null }[]>('auth.keys')).find(
      (k) => k.holder?.name === '培训审核员',
    )
  await expect.poll(supervisorKey, { timeout: 10_000 }).toBeDefined()
  await call('auth.signOut')
  await call('auth.signIn', (await supervisorKey())!.tokenId, '123456')
  expect(await call('outbox.items', {})).toEqual([])
  const days = await call<{ completed: number; sentOnTime: number; sentLate: number }[]>(
    'sync.history',
    7,
  )
  expect(days).toHaveLength(7)
  expect(days.reduce((n, d) => n + d.completed, 0)).toBe(2)
  expect(days.reduce((n, d) => n + d.sentOnTime, 0)).toBe(2)
}, 120_000)

it("seals with the unit's seal UKey: offered once inserted, PIN asked, retries shown, file verified", async () => {
  type Option = {
    choice: { kind: string; keyId: string }
    available: boolean
    needsPin?: boolean
    unavailableReason?: string
  }
  const tokenOptions = async () =>
    (await call<Option[]>('issuance.signers')).filter((o) => o.choice.kind === 'token')
  expect(await tokenOptions()).toMatchObject([
    { available: false, unavailableReason: '请插入单位电子印章 Key' },
  ])

  await call('cakey.trainingInsert', 'unit-seal')
  await expect
    .poll(async () => (await tokenOptions())[0]?.available, { timeout: 10_000 })
    .toBe(true)
  const [option] = await tokenOptions()
  expect(option).toMatchObject({ needsPin: true })

  await identifyZhang()
  const draft = await call<{ values: Record<string, string> }>('issuance.draft', DISABILITY)
  const preview = await call<{ draftId: string; identifier: string }>('issuance.preview', {
    typeCode: DISABILITY,
    values: { ...draft.values, category: '肢体残疾', level: '二级' },
    validFrom: '2026-03-02',
    validTo: '2036-03-01',
  })
  const choice = option!.choice
  await expect(call('issuance.sign', preview.draftId, choice)).rejects.toMatchObject({
    code: 'ISSUANCE_PIN_REQUIRED',
  })
  await expect(
    call('issuance.sign', preview.draftId, { ...choice, pin: '000000' }),
  ).rejects.toMatchObject({ code: 'CAKEY_PIN_INCORRECT', params: { remaining: 5 } })
  const issued = await call<{ identifier: string; status: string }>(
    'issuance.sign',
    preview.draftId,
    { ...choice, pin: '123456' },
  )
  expect(issued).toMatchObject({ identifier: preview.identifier, status: '有效' })

  // Pulling the key out takes the option away again.
  await call('cakey.trainingRemove', 'unit-seal')
  await expect
    .poll(async () => (await tokenOptions())[0]?.available, { timeout: 10_000 })
    .toBe(false)
}, 120_000)
