/**
 * Printing archive copies from their PDF bytes with Electron: the PDF goes to a temporary file,
 * opens in a hidden window's PDF viewer (Chromium's PDFium, the same engine the print preview
 * uses), and that page is printed — through the system print dialog, or silently to the printer
 * the supervisor chose. The core knows only the `PrintingPort`; this glue is all of Electron it needs.
 *
 * The page must not be printed before the viewer has the document: `did-finish-load` comes when
 * the viewer's page is up, not the PDF in it, and printing then gives a blank sheet. Electron
 * emits `-pdf-ready-to-print` on the window's contents once the PDF plugin has loaded the
 * document and allows printing. What to do on each event is decided by `pdfLoadStep`, a pure
 * function with its own tests; `whenPdfReady` only wires the window's events to it.
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
    readonly webContents: Pick<BrowserWindow['webContents'], 'print' | 'getPrintersAsync'> &
      PdfWindowEvents
  }
  /** A folder for the short-lived PDF file (the app's temp folder). */
  readonly tempDir: () => string
  /** How long the PDF viewer may take to load the document before the print fails (ms). */
  readonly loadTimeoutMs?: number
}

/** The events of a window's contents that tell how loading its PDF goes (an event emitter). */
export type PdfWindowEvents = Pick<NodeJS.EventEmitter, 'on' | 'removeListener'>
type Listener = Parameters<PdfWindowEvents['on']>[1]

/** What the hidden window reports while the PDF opens. */
export type PdfLoadEvent =
  /** `did-finish-load`: the viewer's page is up (the document may still be loading in it). */
  | { readonly kind: 'page-loaded' }
  /** `-pdf-ready-to-print`: the PDF plugin has the whole document and printing is allowed. */
  | { readonly kind: 'pdf-ready' }
  | {
      readonly kind: 'load-failed'
      readonly code: number
      readonly description: string
      readonly mainFrame: boolean
    }
  | { readonly kind: 'gone'; readonly reason: string }
  | { readonly kind: 'timeout' }

export interface PdfLoadState {
  readonly pageLoaded: boolean
  readonly pdfReady: boolean
}

export const PDF_LOAD_START: PdfLoadState = { pageLoaded: false, pdfReady: false }

export type PdfLoadStep =
  | { readonly kind: 'wait'; readonly state: PdfLoadState }
  | { readonly kind: 'print' }
  | { readonly kind: 'fail'; readonly error: CounterError }

/** Chromium's net::ERR_ABORTED: a navigation replaced by another, not a failure of the document. */
const ERR_ABORTED = -3

const loadFailed = (reason: string, cause?: unknown) =>
  new CounterError('ARCHIVE_PRINT_FAILED', {
    params: { reason },
    ...(cause === undefined ? {} : { cause }),
  })

/**
 * The next step after an event: print once both the viewer's page and the document in it are
 * loaded (in either order); fail when the page cannot load, its renderer dies, or the document
 * never becomes ready (a damaged file, or a viewer that does not say so) — never print blind.
 */
export function pdfLoadStep(state: PdfLoadState, event: PdfLoadEvent): PdfLoadStep {
  switch (event.kind) {
    case 'page-loaded':
    case 'pdf-ready': {
      const next = {
        pageLoaded: state.pageLoaded || event.kind === 'page-loaded',
        pdfReady: state.pdfReady || event.kind === 'pdf-ready',
      }
      return next.pageLoaded && next.pdfReady ? { kind: 'print' } : { kind: 'wait', state: next }
    }
    case 'load-failed':
      if (!event.mainFrame || event.code === ERR_ABORTED) return { kind: 'wait', state }
      return {
        kind: 'fail',
        error: loadFailed('无法打开打印文件', `${event.code} ${event.description}`),
      }
    case 'gone':
      return { kind: 'fail', error: loadFailed('打印窗口意外关闭', event.reason) }
    case 'timeout':
      return {
        kind: 'fail',
        error: loadFailed(state.pageLoaded ? 'PDF 文件未能载入打印预览' : '无法打开打印文件'),
      }
  }
}

/**
 * Resolves when the window's PDF is ready to print, rejects with the step's error; the window's
 * events are fed to `pdfLoadStep` and nothing else is decided here. Listen before loading, so
 * that no event is missed.
 */
export function whenPdfReady(contents: PdfWindowEvents, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let state = PDF_LOAD_START
    const listeners: [string, Listener][] = [
      ['did-finish-load', () => feed({ kind: 'page-loaded' })],
      ['-pdf-ready-to-print', () => feed({ kind: 'pdf-ready' })],
      [
        'did-fail-load',
        (_e: unknown, code: number, description: string, _url: string, mainFrame: boolean) =>
          feed({ kind: 'load-failed', code, description, mainFrame }),
      ],
      [
        'render-process-gone',
        (_e: unknown, details: { reason?: string }) =>
          feed({ kind: 'gone', reason: details?.reason ?? '' }),
      ],
    ]
    const timer = setTimeout(() => feed({ kind: 'timeout' }), timeoutMs)
    const finish = () => {
      clearTimeout(timer)
      for (const [event, listener] of listeners) contents.removeListener(event, listener)
    }
    function feed(event: PdfLoadEvent): void {
      const step = pdfLoadStep(state, event)
      if (step.kind === 'wait') {
        state = step.state
        return
      }
      finish()
      if (step.kind === 'print') resolve()
      else reject(step.error)
    }
    for (const [event, listener] of listeners) contents.on(event, listener)
  })
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
        const ready = whenPdfReady(win.webContents, deps.loadTimeoutMs ?? 30_000)
        // A failed load also comes as did-fail-load, which `ready` turns into the error.
        win.loadURL(pathToFileURL(file).href).catch(() => undefined)
        await ready
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
