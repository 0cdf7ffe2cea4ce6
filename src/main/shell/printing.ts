/**
 * Printing archive copies from their PDF bytes with Electron: the PDF goes to a temporary file,
 * opens in a hidden window's PDF viewer (Chromium's PDFium, the same engine the print preview
 * uses), and that page is printed — through the system print dialog, or silently to the printer
 * the supervisor chose. The core knows only the `PrintingPort`; this glue is all of Electron it needs.
 */
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  WebContentsPrintOptions,
} from 'electron'
import type { PrintingPort, PrintJob } from '../archive'
import type { Printer } from '../../shared/domain'
import { CounterError } from '../../shared/errors'

/** The part of Electron this needs, so it can be exercised without Electron. */
export interface PrintingDeps {
  readonly createWindow: (options: BrowserWindowConstructorOptions) => Pick<
    BrowserWindow,
    'loadURL' | 'destroy' | 'isDestroyed'
  > & {
    readonly webContents: Pick<BrowserWindow['webContents'], 'print' | 'getPrintersAsync'>
  }
  /** A folder for the short-lived PDF file (the app's temp folder). */
  readonly tempDir: () => string
  /** How long the PDF viewer gets to lay out the document before printing (ms). */
  readonly settleMs?: number
}

const HIDDEN: BrowserWindowConstructorOptions = {
  show: false,
  width: 800,
  height: 1100,
  webPreferences: {
    // Chromium's PDF viewer is a plugin; nothing else runs in this window.
    plugins: true,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    spellcheck: false,
  },
}

/** Electron's print options for a job: paper, orientation, printer, dialog or not. */
export function printOptions(job: PrintJob): WebContentsPrintOptions {
  return {
    silent: job.mode === 'silent',
    printBackground: true,
    ...(job.printer ? { deviceName: job.printer } : {}),
    pageSize: job.paper,
    landscape: job.landscape,
    // The archive page carries its own margins; the printer adds none.
    margins: { marginType: 'none' },
    copies: 1,
  }
}

/** What Electron's failure reason means to the supervisor. */
export function printError(reason: string): CounterError {
  if (/cancel/i.test(reason)) return new CounterError('ARCHIVE_PRINT_CANCELLED')
  if (/no valid printers|printer.*not found|invalid printer/i.test(reason))
    return new CounterError('ARCHIVE_PRINTER_NOT_FOUND', { params: { printer: '' } })
  return new CounterError('ARCHIVE_PRINT_FAILED', { params: { reason: reason || '未知原因' } })
}

export function createElectronPrinting(deps: PrintingDeps): PrintingPort {
  const printersOf = async (): Promise<Printer[]> => {
    const win = deps.createWindow(HIDDEN)
    try {
      const list = await win.webContents.getPrintersAsync()
      return list.map((p) => ({
        name: p.name,
        displayName: p.displayName || p.name,
        isDefault: !!(p as { isDefault?: boolean }).isDefault,
      }))
    } finally {
      if (!win.isDestroyed()) win.destroy()
    }
  }

  return {
    printers: printersOf,
    async print(job) {
      if (job.mode === 'silent') {
        if (!job.printer)
          throw new CounterError('ARCHIVE_PRINTER_NOT_FOUND', { params: { printer: '' } })
        const known = await printersOf()
        if (!known.some((p) => p.name === job.printer))
          throw new CounterError('ARCHIVE_PRINTER_NOT_FOUND', { params: { printer: job.printer } })
      }
      const file = join(deps.tempDir(), `counterdesk-print-${randomBytes(6).toString('hex')}.pdf`)
      writeFileSync(file, job.pdf)
      const win = deps.createWindow(HIDDEN)
      try {
        try {
          // Resolves on did-finish-load, rejects on did-fail-load.
          await win.loadURL(pathToFileURL(file).href)
        } catch (cause) {
          throw new CounterError('ARCHIVE_PRINT_FAILED', {
            params: { reason: '无法打开打印文件' },
            cause,
          })
        }
        await new Promise((r) => setTimeout(r, deps.settleMs ?? 400))
        await new Promise<void>((resolve, reject) => {
          win.webContents.print(printOptions(job), (success, reason) =>
            success ? resolve() : reject(printError(reason)),
          )
        })
      } finally {
        if (!win.isDestroyed()) win.destroy()
        rmSync(file, { force: true })
      }
    },
  }
}
