import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ArchiveService,
  type ArchivePerson,
  type PrintingPort,
  type PrintJob,
  type SealCheck,
} from '../../../../src/main/archive'
import type { Db } from '../../../../src/main/db'
import { createSealer } from '../../../../src/main/issuance'
import { verifyOfd } from '../../../../src/main/ofd'
import type { BatchView } from '../../../../src/shared/domain'
import {
  archiveFonts,
  memoryDb,
  quietLogger,
  RESOURCES,
  SEED_LICENCES,
  tempDir,
  trainingOfd,
  trainingTrust,
} from './fixtures'

const supervisor: ArchivePerson = {
  name: '培训审核员',
  code: '410100********0025',
  role: 'supervisor',
}

/** What the licence module records when a clerk takes licences as materials for a business. */
async function seedBusiness(
  db: Db,
  exportRoot: string,
  b: { serial: string; matter: string; at: string; licences: number[] },
): Promise<void> {
  const dir = `materials/${b.serial}/${b.at.replace(/[-:.]/g, '')}`
  mkdirSync(join(exportRoot, dir), { recursive: true })
  const items = []
  for (const [i, idx] of b.licences.entries()) {
    const l = SEED_LICENCES[idx]!
    const bytes = await trainingOfd(idx)
    const fileName = `${String(i + 1).padStart(2, '0')}-${l.licenseTypeName}.ofd`
    writeFileSync(join(exportRoot, dir, fileName), bytes)
    items.push({
      identifier: l.licenseIdentifier,
      typeName: l.licenseTypeName,
      number: l.licenseNumber,
      status: l.licenseStatus,
      fileName,
      format: 'ofd',
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      seal: { state: 'valid', signer: l.issueOrgName },
      issuer: l.issueOrgName,
      issuerCode: l.issueOrgCode,
    })
  }
  writeFileSync(join(exportRoot, dir, 'materials.json'), JSON.stringify({ items }))
  db.prepare(
    `INSERT INTO licence_attachment (business_serial, matter_code, holder, staff_cert, terminal,
       created_at, export_path, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(b.serial, b.matter, '410105********0032', 'S', 'TRAIN-01', b.at, dir, JSON.stringify(items))
}

interface Env {
  db: Db
  root: string
  service: ArchiveService
  views: BatchView[]
  make(overrides?: Overrides): ArchiveService
}

interface Overrides {
  verifySeals?: SealCheck
  now?: () => Date
  printing?: PrintingPort
}

function environment(): Env {
  const db = memoryDb()
  const sealer = createSealer(new Uint8Array(randomBytes(32)))
  const root = tempDir()
  const views: BatchView[] = []
  const make = (overrides: Overrides = {}) =>
    new ArchiveService({
      db,
      terminal: {
        id: 'TRAIN-01',
        unitName: '培训演示政务服务中心',
        unitCode: '11410100MB00000005',
      },
      settings: { extraFonts: [], systemFonts: false, qr: { validDays: 365 } },
      // The office key is made on first use and sealed with the data key.
      sealer: () => sealer,
      inForceStatuses: ['有效'],
      resourcesDir: RESOURCES,
      exportRoot: root,
      matters: () => [
        { code: 'M-HJ', name: '户口迁移' } as never,
        { code: 'M-SP', name: '食品经营许可' } as never,
      ],
      verifySeals:
        overrides.verifySeals ??
        ((doc) => verifyOfd(doc, { trust: { certificates: [...trainingTrust()] } })),
      logger: quietLogger(),
      fonts: archiveFonts(),
      onBatch: (v) => views.push(v),
      ...(overrides.printing ? { printing: overrides.printing } : {}),
      now: overrides.now ?? (() => new Date('2026-05-20T06:32:05Z')),
    })
  return { db, root, service: make(), views, make }
}

let env: Env
beforeAll(async () => {
  env = environment()
  // 0 户口簿 (张建国), 9 驾驶证, 1 / 2 other seed licences.
  await seedBusiness(env.db, env.root, {
    serial: 'YW20260519001',
    matter: 'M-HJ',
    at: '2026-05-19T01:00:00.000Z',
    licences: [0, 1],
  })
  await seedBusiness(env.db, env.root, {
    serial: 'YW20260520002',
    matter: 'M-SP',
    at: '2026-05-20T02:00:00.000Z',
    licences: [9],
  })
  await seedBusiness(env.db, env.root, {
    serial: 'YW20260520003',
    matter: 'M-HJ',
    at: '2026-05-20T03:00:00.000Z',
    licences: [2],
  })
}, 120_000)
afterAll(() => env.db.close())

const run = async (service: ArchiveService, view: BatchView) => {
  await service.batches.settle()
  return service.batches.view(view.id)
}

describe('archive service', { timeout: 180_000 }, () => {
  it('finds businesses by period, matter or serials, with their licences and files', () => {
    const byPeriod = env.service.candidates({ from: '2026-05-20', to: '2026-05-20' })
    expect(byPeriod.map((b) => b.businessSerial)).toEqual(['YW20260520002', 'YW20260520003'])
    expect(env.service.candidates({ matterCode: 'M-HJ' }).map((b) => b.businessSerial)).toEqual([
      'YW20260519001',
      'YW20260520003',
    ])
    const [one] = env.service.candidates({ serials: ['YW20260519001'] })
    expect(one).toMatchObject({ matterName: '户口迁移', holder: '410105********0032' })
    expect(one!.items.map((i) => [i.identifier, i.localFile, i.prints])).toEqual([
      [SEED_LICENCES[0]!.licenseIdentifier, true, 0],
      [SEED_LICENCES[1]!.licenseIdentifier, true, 0],
    ])
  })

  it('previews a copy without giving it a number', async () => {
    const preview = await env.service.preview(
      {
        item: { identifier: SEED_LICENCES[0]!.licenseIdentifier, businessSerial: 'YW20260519001' },
        paper: 'A4',
        orientation: 'auto',
      },
      supervisor,
    )
    expect(preview.prints).toBe(0)
    expect(preview.archiveNo).toBeUndefined()
    expect(preview.verification.seal.state).toBe('valid')
    // Not connected to a library here: said plainly, not guessed.
    expect(preview.verification.library).toMatchObject({ state: 'unchecked' })
    expect(preview.pages).toHaveLength(1)
    expect(env.service.registerEntries({})).toHaveLength(0)
  })

  it('makes one PDF per business, numbers each copy once, and marks printing again as reprints', async () => {
    const first = await run(
      env.service,
      env.service.startBatch(
        { query: { matterCode: 'M-HJ' }, output: 'per-business', paper: 'A4', orientation: 'auto' },
        supervisor,
      ),
    )
    expect(first).toMatchObject({ state: 'done', total: 3, done: 3, failed: 0 })
    expect(first.files.map((f) => [f.path.split('/')[1], f.copies, f.pages])).toEqual([
      ['YW20260519001.pdf', 2, 2],
      ['YW20260520003.pdf', 1, 1],
    ])
    for (const f of first.files) {
      const pdf = readFileSync(join(env.service.outputDir, f.path))
      expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7')
      expect(pdf.length).toBe(f.bytes)
    }
    const numbers = env.service
      .registerEntries({})
      .map((p) => p.archiveNo)
      .sort()
    expect(numbers).toEqual([
      'TRAIN-01-2026-000001',
      'TRAIN-01-2026-000002',
      'TRAIN-01-2026-000003',
    ])
    // Progress was reported as the batch went.
    expect(env.views.some((v) => v.id === first.id && v.state === 'running' && v.current)).toBe(
      true,
    )

    const again = await run(
      env.service,
      env.service.startBatch(
        {
          query: { serials: ['YW20260519001'] },
          output: 'combined',
          paper: 'A3',
          orientation: 'auto',
        },
        supervisor,
      ),
    )
    expect(again.files).toHaveLength(1)
    expect(again.files[0]!.path).toMatch(/\/archive-AB\d{8}-\d{6}-[0-9A-F]{4}\.pdf$/)
    const reprints = env.service.registerEntries({ businessSerial: 'YW20260519001' })
    expect(reprints.map((p) => [p.printNo, p.reprint, p.paper])).toEqual([
      [2, true, 'A3'],
      [2, true, 'A3'],
      [1, false, 'A4'],
      [1, false, 'A4'],
    ])
    expect(new Set(reprints.map((p) => p.archiveNo)).size).toBe(2)
    const cands = env.service.candidates({ serials: ['YW20260519001'] })[0]!.items
    expect(cands.map((c) => c.prints)).toEqual([2, 2])
    // Looking at it again shows its number and the reprint the next print would be.
    const preview = await env.service.preview(
      {
        item: { identifier: cands[0]!.identifier, businessSerial: 'YW20260519001' },
        paper: 'A4',
        orientation: 'auto',
      },
      supervisor,
    )
    expect(preview).toMatchObject({ archiveNo: cands[0]!.archiveNo, prints: 2 })
    const lines = JSON.stringify(preview.pages[0]!.ops)
    expect(lines).toContain(`"text":"存档编号 ${cands[0]!.archiveNo}"`)
    expect(lines).toContain('重印：本件第 3 次打印')
  })

  it('stops on cancel after the copy in hand; resuming finishes with the numbers given', async () => {
    const service = env.make()
    let cancelled = false
    const spec = {
      query: { from: '2026-05-19', to: '2026-05-20' },
      output: 'per-business' as const,
      paper: 'A4' as const,
      orientation: 'auto' as const,
    }
    const view = service.startBatch(spec, supervisor)
    // Cancel as soon as the first file is written.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const v = service.batches.view(view.id)
        if (!cancelled && v.files.length >= 1) {
          cancelled = true
          service.batches.cancel(view.id)
        }
        if (v.state !== 'running') {
          clearInterval(timer)
          resolve()
        }
      }, 5)
    })
    const stopped = service.batches.view(view.id)
    expect(stopped.state).toBe('cancelled')
    expect(stopped.done).toBeLessThan(stopped.total)
    const before = env.service.registerEntries({ limit: 5000 })
    const resumed = await run(service, service.batches.resume(view.id, supervisor))
    expect(resumed).toMatchObject({ state: 'done', done: 4, failed: 0 })
    const after = env.service
      .registerEntries({ limit: 5000 })
      .filter((p) => p.batchId === view.id && p.state === 'done')
    expect(after).toHaveLength(4)
    // Nothing new was numbered: every copy already had its number from the first batch.
    const known = new Set(before.map((p) => p.archiveNo))
    expect(after.every((p) => known.has(p.archiveNo))).toBe(true)
    expect(new Set(after.map((p) => p.archiveNo)).size).toBe(4)
  })

  it('resumes a batch whose process died, finishing the interrupted copy under its number', async () => {
    // A seal check that never returns stands for a process that dies in the middle of a copy.
    let calls = 0
    const hang: SealCheck = (doc) =>
      ++calls === 2
        ? new Promise(() => undefined)
        : verifyOfd(doc, { trust: { certificates: [...trainingTrust()] } })
    const dying = env.make({ verifySeals: hang })
    const fresh = await seedFresh()
    const view = dying.startBatch(
      { query: { serials: [fresh] }, output: 'combined', paper: 'A4', orientation: 'auto' },
      supervisor,
    )
    await expect.poll(() => calls, { timeout: 30_000 }).toBe(2)
    const pending = env.service.registerEntries({ businessSerial: fresh })
    expect(pending.map((p) => p.state)).toEqual(['pending'])
    const number = pending[0]!.archiveNo
    // The process is gone: another one sees the batch as interrupted (its owner is no longer alive).
    env.db.prepare(`UPDATE archive_batches SET owner = 'elsewhere:1' WHERE id = ?`).run(view.id)
    const later = env.make({ now: () => new Date('2026-05-20T06:33:00Z') })
    expect(later.batches.view(view.id).state).toBe('running')
    // Its heartbeat stops: after two minutes without one, it was cut off.
    env.db
      .prepare(`UPDATE archive_batches SET heartbeat = '2026-05-20T06:30:00.000Z' WHERE id = ?`)
      .run(view.id)
    expect(later.batches.view(view.id).state).toBe('interrupted')
    const done = await run(later, later.batches.resume(view.id, supervisor))
    expect(done).toMatchObject({ state: 'done', done: 2, failed: 0 })
    const entries = env.service.registerEntries({ businessSerial: fresh })
    expect(entries.map((p) => [p.state, p.printNo])).toEqual([
      ['done', 1],
      ['done', 1],
    ])
    expect(entries.map((p) => p.archiveNo)).toContain(number)
    expect(existsSync(join(later.outputDir, done.files[0]!.path))).toBe(true)
  })

  it('leaves a batch interrupted, not cancelled, when the app closes, and resumes it', async () => {
    const service = env.make()
    const fresh = await seedFresh()
    const view = service.startBatch(
      { query: { serials: [fresh] }, output: 'per-business', paper: 'A4', orientation: 'auto' },
      supervisor,
    )
    await service.batches.shutdown()
    const after = env.make()
    expect(after.batches.view(view.id).state).toBe('interrupted')
    const done = await run(after, after.batches.resume(view.id, supervisor))
    expect(done).toMatchObject({ state: 'done', done: 2 })
  })

  it('records a copy that fails and goes on with the rest', async () => {
    const service = env.make()
    const view = await run(
      service,
      service.startBatch(
        {
          items: [
            { identifier: SEED_LICENCES[3]!.licenseIdentifier },
            { identifier: SEED_LICENCES[2]!.licenseIdentifier, businessSerial: 'YW20260520003' },
          ],
          output: 'per-business',
          paper: 'A4',
          orientation: 'auto',
        },
        supervisor,
      ),
    )
    expect(view).toMatchObject({ state: 'done', total: 2, done: 1, failed: 1 })
    // No library here and no local file: the first licence cannot be found.
    expect(view.errors).toEqual([
      expect.objectContaining({
        identifier: SEED_LICENCES[3]!.licenseIdentifier,
        code: 'ARCHIVE_SOURCE_NOT_FOUND',
      }),
    ])
  })

  it('sends each file to the printer turned as its pages are, and a reprint of it the same way', async () => {
    const jobs: PrintJob[] = []
    const printing: PrintingPort = {
      printers: async () => [{ name: 'Office_A4', displayName: '办公室 A4', isDefault: true }],
      print: async (job) => void jobs.push(job),
    }
    const service = env.make({ printing })
    // A business licence (landscape) for one business, a household register for another.
    for (const [serial, licences] of [
      ['YWTURN0001', [17]],
      ['YWTURN0002', [0]],
    ] as const)
      await seedBusiness(env.db, env.root, {
        serial,
        matter: 'M-SP',
        at: '2026-05-22T01:00:00.000Z',
        licences: [...licences],
      })
    const view = await run(
      service,
      service.startBatch(
        {
          query: { serials: ['YWTURN0001', 'YWTURN0002'] },
          output: 'per-business',
          paper: 'A4',
          orientation: 'auto',
          print: { mode: 'silent', printer: 'Office_A4' },
        },
        supervisor,
      ),
    )
    expect(view.files.map((f) => f.printed)).toEqual(['printed:Office_A4', 'printed:Office_A4'])
    // The register says where each copy went.
    expect(
      env.service
        .registerEntries({ businessSerial: 'YWTURN0001' })
        .map((p) => [p.state, p.printer]),
    ).toEqual([['done', 'Office_A4']])
    const batchTurn = jobs.map((j) => [j.title, j.landscape])
    expect(batchTurn).toEqual([
      ['YWTURN0001.pdf', true],
      ['YWTURN0002.pdf', false],
    ])
    // Printing a file again (the batch view's 重新打印) turns it as the batch did.
    jobs.length = 0
    for (const f of view.files) await service.printFile(view.id, f.path, 'dialog', undefined)
    expect(jobs.map((j) => [j.title.split('/')[1], j.landscape, j.mode])).toEqual([
      ['YWTURN0001.pdf', true, 'dialog'],
      ['YWTURN0002.pdf', false, 'dialog'],
    ])
  })
})

let freshCount = 0
async function seedFresh(): Promise<string> {
  const serial = `YWFRESH${String(++freshCount).padStart(4, '0')}`
  await seedBusiness(env.db, env.root, {
    serial,
    matter: 'M-SP',
    at: '2026-05-21T01:00:00.000Z',
    licences: [4, 5],
  })
  return serial
}
