import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { PrintJob } from '../../../../src/main/archive'
import { createElectronPrinting, printOptions } from '../../../../src/main/shell/printing'
import { isCounterError } from '../../../../src/shared/errors'
import { tempDir } from './fixtures'

/** Stands in for Electron's BrowserWindow: records what was loaded and how it was printed. */
function fakeElectron(outcome: { success: boolean; reason?: string }) {
  const log: { loaded?: string; pdf?: Buffer; options?: unknown; destroyed: number } = {
    destroyed: 0,
  }
  const printers = [
    { name: 'HP_LaserJet_A3', displayName: 'HP LaserJet (A3)', isDefault: true },
    { name: 'Office_A4', displayName: '办公室 A4', isDefault: false },
  ]
  let destroyed = false
  const createWindow = () => {
    destroyed = false
    return {
      isDestroyed: () => destroyed,
      destroy: () => {
        destroyed = true
        log.destroyed++
      },
      loadURL: async (url: string) => {
        log.loaded = url
        log.pdf = readFileSync(fileURLToPath(url))
      },
      webContents: {
        getPrintersAsync: async () => printers as never,
        print: (options: unknown, cb?: (success: boolean, reason: string) => void) => {
          log.options = options
          cb?.(outcome.success, outcome.reason ?? '')
        },
      },
    }
  }
  return { deps: { createWindow: createWindow as never, tempDir: () => dir, settleMs: 0 }, log }
}

const dir = tempDir('print-')
const job = (over: Partial<PrintJob> = {}): PrintJob => ({
  pdf: Buffer.from('%PDF-1.7 test'),
  title: 'YW001.pdf',
  paper: 'A3',
  landscape: true,
  mode: 'silent',
  printer: 'HP_LaserJet_A3',
  ...over,
})

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (error) {
    return isCounterError(error) ? error.code : 'not a CounterError'
  }
}

describe('printing from PDF bytes (Electron glue)', () => {
  it('asks for the paper, orientation and printer, silently or with the dialog', () => {
    expect(printOptions(job())).toEqual({
      silent: true,
      printBackground: true,
      deviceName: 'HP_LaserJet_A3',
      pageSize: 'A3',
      landscape: true,
      margins: { marginType: 'none' },
      copies: 1,
    })
    expect(
      printOptions(job({ mode: 'dialog', paper: 'A4', landscape: false, printer: undefined })),
    ).toMatchObject({
      silent: false,
      pageSize: 'A4',
      landscape: false,
    })
    expect(printOptions(job({ mode: 'dialog', printer: undefined }))).not.toHaveProperty(
      'deviceName',
    )
  })

  it('prints the very bytes through a hidden PDF window and leaves nothing behind', async () => {
    const { deps, log } = fakeElectron({ success: true })
    const port = createElectronPrinting(deps)
    expect(await port.printers()).toEqual([
      { name: 'HP_LaserJet_A3', displayName: 'HP LaserJet (A3)', isDefault: true },
      { name: 'Office_A4', displayName: '办公室 A4', isDefault: false },
    ])
    await port.print(job())
    expect(log.pdf?.toString()).toBe('%PDF-1.7 test')
    expect(log.options).toMatchObject({
      silent: true,
      deviceName: 'HP_LaserJet_A3',
      pageSize: 'A3',
    })
    expect(existsSync(fileURLToPath(log.loaded!))).toBe(false)
    // One window for the printer list in printers(), one for checking it, one to print.
    expect(log.destroyed).toBe(3)
  })

  it('says which printer is missing, and what a cancel or a failure means', async () => {
    const ok = createElectronPrinting(fakeElectron({ success: true }).deps)
    expect(await code(ok.print(job({ printer: 'Gone' })))).toBe('ARCHIVE_PRINTER_NOT_FOUND')
    expect(await code(ok.print(job({ printer: undefined })))).toBe('ARCHIVE_PRINTER_NOT_FOUND')
    const cancelled = createElectronPrinting(
      fakeElectron({ success: false, reason: 'cancelled' }).deps,
    )
    expect(await code(cancelled.print(job({ mode: 'dialog' })))).toBe('ARCHIVE_PRINT_CANCELLED')
    const failed = createElectronPrinting(fakeElectron({ success: false, reason: 'failed' }).deps)
    expect(await code(failed.print(job()))).toBe('ARCHIVE_PRINT_FAILED')
  })
})
