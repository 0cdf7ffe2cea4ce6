/**
 * A supervisor's archive printing in Chromium against the real core: the businesses of a day
 * (licences a clerk took as materials through the real licence flow), the preview painted from
 * the same draw list as the PDF, a batch with progress, the files, the register with reprints.
 * Without Electron there is no printer: the view says so and saves PDFs.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { PrintingPort, PrintJob } from '../../src/main/archive'
import type { Envelope } from '../../src/shared/api'
import type { ArchivePrint, BatchView, LicenceList, Matter } from '../../src/shared/domain'
import { launchApp, launchBrowser, type AppUnderTest } from './harness'

let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

async function call<T>(app: AppUnderTest, method: string, ...args: unknown[]): Promise<T> {
  const r = (await app.core.dispatch(method, args)) as Envelope<T>
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.value
}

const SERIAL = 'ZZJS-2026-009001'

/** A clerk serves 张建国 for a property matter and takes his usable licences as materials. */
async function clerkAttaches(app: AppUnderTest): Promise<number> {
  await expect
    .poll(async () => (await call<{ status: string }>(app, 'auth.state')).status, {
      timeout: 20_000,
    })
    .toBe('signed-in')
  const matters = await call<Matter[]>(app, 'matters.list')
  const matter = matters.find((m) => m.name.includes('不动产'))!
  await call(app, 'training.placeCard', 'resident-zhang')
  await expect
    .poll(async () => (await call<{ holder: unknown }>(app, 'session.current')).holder, {
      timeout: 20_000,
    })
    .toBeTruthy()
  await call(app, 'session.selectMatter', matter.code)
  const list = await call<LicenceList>(app, 'licences.list')
  const usable = list.items.filter((l) => l.status.inForce && !l.expired).map((l) => l.identifier)
  await call(app, 'licences.attach', { businessSerial: SERIAL, identifiers: usable })
  await call(app, 'session.next')
  return usable.length
}

async function supervisorSignsIn(app: AppUnderTest): Promise<void> {
  await call(app, 'auth.signOut')
  await call(app, 'cakey.trainingInsert', 'staff-supervisor')
  await expect
    .poll(async () => (await call<{ tokenId: string }[]>(app, 'auth.keys')).map((k) => k.tokenId), {
      timeout: 20_000,
    })
    .toContain('sim/staff-supervisor')
  await call(app, 'auth.signIn', 'sim/staff-supervisor', '123456')
  await expect
    .poll(() => app.page.getByTestId('nav-archive').isVisible(), { timeout: 20_000 })
    .toBe(true)
}

describe('archive copies for supervisors', () => {
  it('finds the day’s businesses, previews a copy, prints a batch and registers reprints', async () => {
    const app = await launchApp(browser)
    const { page } = app
    try {
      const attached = await clerkAttaches(app)
      expect(attached).toBeGreaterThanOrEqual(2)
      // A clerk has no archive tab.
      expect(await page.getByTestId('nav-archive').count()).toBe(0)
      await supervisorSignsIn(app)
      await page.getByTestId('nav-archive').click()
      await expect
        .poll(() => page.getByTestId('archive-view').getAttribute('data-allowed'))
        .toBe('true')

      // Today is the default period: Enter searches.
      await page.getByTestId('archive-search').click()
      await expect.poll(() => page.getByTestId('archive-business').count()).toBe(1)
      expect(await page.getByTestId('archive-business').getAttribute('data-serial')).toBe(SERIAL)
      expect(await page.getByTestId('archive-licence').count()).toBe(attached)
      expect(await page.getByTestId('archive-found').textContent()).toContain(`已选 ${attached} 件`)
      // No printer without Electron: said plainly, PDFs are still made.
      expect(await page.getByTestId('archive-actions').textContent()).toContain(
        '本机无法调用打印机',
      )
      expect(await page.getByTestId('archive-print-silent').isDisabled()).toBe(true)

      // The preview is the archive page itself, before any number is given.
      await page.getByTestId('archive-licence').first().click()
      await expect
        .poll(() => page.getByTestId('archive-preview-page').count(), { timeout: 30_000 })
        .toBeGreaterThan(0)
      expect(await page.getByTestId('archive-preview-number').textContent()).toBe(
        '存档编号在打印时分配',
      )
      const svgText = await page
        .getByTestId('archive-preview-page')
        .first()
        .locator('[data-text]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-text')))
      expect(svgText).toContain('电子证照存档副本')
      expect(svgText.some((t) => t?.startsWith(`业务流水号：${SERIAL}`))).toBe(true)
      expect(svgText.filter((t) => t === '存档副本').length).toBeGreaterThan(3)
      await app.screenshot('archive-01-preview')

      // Ctrl+P prints the picked licences: progress, then one file for the business.
      await page.keyboard.press('Control+p')
      await expect
        .poll(() => page.getByTestId('archive-batch').getAttribute('data-state'), {
          timeout: 90_000,
        })
        .toBe('done')
      expect(await page.getByTestId('archive-batch-progress').textContent()).toContain(
        `已完成 ${attached} / ${attached}`,
      )
      const file = await page.getByTestId('archive-file').first().textContent()
      expect(file).toContain(`${SERIAL}.pdf`)
      await app.screenshot('archive-02-batch-done')
      const batches = await call<BatchView[]>(app, 'archive.batches')
      const dataDir = dirname(app.core.db.name)
      const pdf = join(dataDir, 'exports', 'archive', batches[0]!.files[0]!.path)
      expect(existsSync(pdf)).toBe(true)
      expect(readFileSync(pdf).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7')

      // The list now shows the archive numbers; previewing again warns of a reprint.
      await expect
        .poll(() => page.getByTestId('archive-licence').first().textContent())
        .toContain('已打印 1 次')
      await page.getByTestId('archive-licence').first().click()
      await expect
        .poll(() => page.getByTestId('archive-preview-number').textContent(), { timeout: 30_000 })
        .toMatch(/已存档（TRAIN-01-\d{4}-\d{6}），再次打印将标注为重印（第 2 次）/)
      await page.getByTestId('archive-start').click()
      await expect
        .poll(
          async () =>
            (await call<BatchView[]>(app, 'archive.batches')).filter((b) => b.state === 'done')
              .length,
          { timeout: 90_000 },
        )
        .toBe(2)

      await page.getByTestId('archive-tab-register').click()
      await expect.poll(() => page.getByTestId('archive-register-row').count()).toBe(attached * 2)
      expect(
        await page.locator('[data-testid="archive-register-row"][data-reprint="true"]').count(),
      ).toBe(attached)
      expect(await page.getByTestId('archive-register-table').textContent()).toContain(
        '重印 第 2 次',
      )
      await app.screenshot('archive-03-register')
    } finally {
      await app.close()
    }
  })

  it('prints silently to the chosen printer and records it', async () => {
    const jobs: PrintJob[] = []
    const printing: PrintingPort = {
      printers: async () => [
        { name: 'HP_A3', displayName: '档案室 HP A3', isDefault: false },
        { name: 'Office_A4', displayName: '办公室 A4', isDefault: true },
      ],
      print: async (job) => void jobs.push(job),
    }
    const app = await launchApp(browser, { printing })
    const { page } = app
    try {
      const attached = await clerkAttaches(app)
      await supervisorSignsIn(app)
      await page.getByTestId('nav-archive').click()
      await page.getByTestId('archive-search').click()
      await expect.poll(() => page.getByTestId('archive-licence').count()).toBe(attached)
      await page.getByTestId('archive-output-combined').check()
      await page.getByTestId('archive-print-silent').check()
      await page.locator('[data-testid="archive-actions"] select').selectOption('HP_A3')
      await page.getByTestId('archive-paper').selectOption('A3')
      await page.getByTestId('archive-start').click()
      await expect
        .poll(() => page.getByTestId('archive-batch').getAttribute('data-state'), {
          timeout: 90_000,
        })
        .toBe('done')
      await expect
        .poll(() => page.getByTestId('archive-file').textContent())
        .toContain('已送打印机')
      expect(jobs).toHaveLength(1)
      expect(jobs[0]).toMatchObject({ mode: 'silent', printer: 'HP_A3', paper: 'A3' })
      expect(Buffer.from(jobs[0]!.pdf).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7')
      await app.screenshot('archive-04-printed')
      // The same file again, through the system dialog this time.
      await page.getByTestId('archive-print-dialog').check()
      await page.getByRole('button', { name: '打印此文件' }).click()
      await expect.poll(() => jobs.length).toBe(2)
      expect(jobs[1]).toMatchObject({ mode: 'dialog' })
      const register = await call<ArchivePrint[]>(app, 'archive.register', {})
      expect(register).toHaveLength(attached)
      // Recorded: every copy of the file went to the printer chosen.
      expect(register.map((p) => p.printer)).toEqual(Array(attached).fill('HP_A3'))
    } finally {
      await app.close()
    }
  })

  it('tells a clerk the view is for supervisors and refuses the calls', async () => {
    const app = await launchApp(browser)
    try {
      await expect
        .poll(async () => (await call<{ status: string }>(app, 'auth.state')).status, {
          timeout: 20_000,
        })
        .toBe('signed-in')
      const r = (await app.core.dispatch('archive.batches', [])) as Envelope
      expect(r.ok).toBe(false)
      expect(!r.ok && r.error.code).toBe('ROLE_SUPERVISOR_REQUIRED')
    } finally {
      await app.close()
    }
  })
})
