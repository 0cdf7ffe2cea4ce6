import { EventEmitter } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  mostlyLandscape,
  pagesToPdf,
  pdfPageSizes,
  type PrintJob,
} from '../../../../src/main/archive'
import {
  createElectronPrinting,
  PDF_LOAD_START,
  pdfLoadStep,
  printOptions,
  whenPdfReady,
  type PdfLoadEvent,
  type PdfLoadState,
} from '../../../../src/main/shell/printing'
import { isCounterError } from '../../../../src/shared/errors'
import { archiveFonts, licencePage, tempDir } from './fixtures'

/** How the fake viewer behaves after loadURL: the events it emits, in order. */
type Viewer = 'ready' | 'ready-first' | 'never-ready' | 'fails'

/**
 * Stands in for Electron's BrowserWindow: records what was loaded, every event and call in
 * order, and how it was printed. Its contents emit what Electron's do while a PDF opens.
 */
function fakeElectron(outcome: { success: boolean; reason?: string }, viewer: Viewer = 'ready') {
  const log: {
    loaded?: string
    pdf?: Buffer
    options?: unknown
    destroyed: number
    order: string[]
    listenersLeft?: number
  } = {
    destroyed: 0,
    order: [],
  }
  const printers = [
    { name: 'HP_LaserJet_A3', displayName: 'HP LaserJet (A3)', isDefault: true },
    { name: 'Office_A4', displayName: '办公室 A4', isDefault: false },
  ]
  let destroyed = false
  const createWindow = () => {
    destroyed = false
    const contents = new EventEmitter()
    const emit = (event: string, ...args: unknown[]) => {
      log.order.push(event)
      contents.emit(event, ...args)
    }
    return {
      isDestroyed: () => destroyed,
      destroy: () => {
        destroyed = true
        log.destroyed++
        log.listenersLeft = contents.eventNames().length
      },
      loadURL: async (url: string) => {
        log.loaded = url
        log.pdf = readFileSync(fileURLToPath(url))
        // Electron's order: the viewer's page first, the document in it later.
        setImmediate(() => {
          if (viewer === 'fails') {
            emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', url, true)
            return
          }
          if (viewer === 'ready-first') emit('-pdf-ready-to-print')
          emit('did-finish-load')
          if (viewer === 'ready') setImmediate(() => emit('-pdf-ready-to-print'))
        })
      },
      webContents: Object.assign(contents, {
        getPrintersAsync: async () => printers as never,
        print: (options: unknown, cb?: (success: boolean, reason: string) => void) => {
          log.order.push('print')
          log.options = options
          cb?.(outcome.success, outcome.reason ?? '')
        },
      }),
    }
  }
  return {
    deps: { createWindow: createWindow as never, tempDir: () => dir, loadTimeoutMs: 200 },
    log,
  }
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
    // Printed only once the viewer had the document, not when its page was up.
    expect(log.order).toEqual(['did-finish-load', '-pdf-ready-to-print', 'print'])
    expect(log.listenersLeft).toBe(0)
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

  it('never prints a document the viewer did not load', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const never = fakeElectron({ success: true }, 'never-ready')
    const pending = code(createElectronPrinting(never.deps).print(job()))
    await vi.advanceTimersByTimeAsync(200)
    expect(await pending).toBe('ARCHIVE_PRINT_FAILED')
    expect(never.log.order).toEqual(['did-finish-load'])
    expect(existsSync(fileURLToPath(never.log.loaded!))).toBe(false)

    const failing = fakeElectron({ success: true }, 'fails')
    expect(await code(createElectronPrinting(failing.deps).print(job()))).toBe(
      'ARCHIVE_PRINT_FAILED',
    )
    expect(failing.log.order).toEqual(['did-fail-load'])

    // The document may be ready before the page says it has loaded.
    const early = fakeElectron({ success: true }, 'ready-first')
    await createElectronPrinting(early.deps).print(job())
    expect(early.log.order).toEqual(['-pdf-ready-to-print', 'did-finish-load', 'print'])
  })
})

describe('when the PDF viewer is ready to print', () => {
  afterEach(() => void vi.useRealTimers())

  const run = (events: PdfLoadEvent[]) => {
    let state: PdfLoadState = PDF_LOAD_START
    const steps: string[] = []
    for (const e of events) {
      const step = pdfLoadStep(state, e)
      steps.push(step.kind === 'fail' ? `fail:${step.error.code}` : step.kind)
      if (step.kind === 'wait') state = step.state
    }
    return steps
  }
  const page = { kind: 'page-loaded' } as const
  const pdf = { kind: 'pdf-ready' } as const
  const failed = (code: number, mainFrame: boolean) =>
    ({ kind: 'load-failed', code, description: 'x', mainFrame }) as const

  it('prints once the page and the document are both loaded, in either order', () => {
    expect(run([page, pdf])).toEqual(['wait', 'print'])
    expect(run([pdf, page])).toEqual(['wait', 'print'])
    expect(run([page, page])).toEqual(['wait', 'wait'])
  })

  it('fails on a main-frame load failure, a dead renderer or a timeout, never printing blind', () => {
    expect(run([failed(-6, true)])).toEqual(['fail:ARCHIVE_PRINT_FAILED'])
    // A sub-frame's failure or an aborted (replaced) navigation is not the document's.
    expect(run([failed(-6, false), failed(-3, true), page, pdf])).toEqual([
      'wait',
      'wait',
      'wait',
      'print',
    ])
    expect(run([page, { kind: 'gone', reason: 'crashed' }])).toEqual([
      'wait',
      'fail:ARCHIVE_PRINT_FAILED',
    ])
    expect(run([page, { kind: 'timeout' }])).toEqual(['wait', 'fail:ARCHIVE_PRINT_FAILED'])
    const timedOut = pdfLoadStep({ pageLoaded: true, pdfReady: false }, { kind: 'timeout' })
    expect(timedOut.kind === 'fail' && timedOut.error.message).toContain('未能载入')
  })

  it('wires the window events to the decision and lets go of them afterwards', async () => {
    const contents = new EventEmitter()
    const ready = whenPdfReady(contents, 1000)
    contents.emit('did-finish-load')
    contents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'file:///x.pdf', true)
    contents.emit('-pdf-ready-to-print')
    await expect(ready).resolves.toBeUndefined()
    expect(contents.eventNames()).toEqual([])

    const gone = whenPdfReady(contents, 1000)
    contents.emit('render-process-gone', {}, { reason: 'oom' })
    expect(await code(gone)).toBe('ARCHIVE_PRINT_FAILED')
    expect(contents.eventNames()).toEqual([])

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const late = whenPdfReady(contents, 30_000)
    contents.emit('did-finish-load')
    const outcome = code(late)
    await vi.advanceTimersByTimeAsync(30_000)
    expect(await outcome).toBe('ARCHIVE_PRINT_FAILED')
    expect(contents.eventNames()).toEqual([])
  })
})

describe('which way a file goes into the printer', () => {
  it('turns a file whose pages are mostly landscape, as the batch painted them', async () => {
    const portrait = { width: 210, height: 297 }
    const landscape = { width: 297, height: 210 }
    expect(mostlyLandscape([landscape])).toBe(true)
    expect(mostlyLandscape([portrait, landscape, landscape])).toBe(true)
    expect(mostlyLandscape([portrait, landscape])).toBe(false)
    expect(mostlyLandscape([])).toBe(false)

    // The same rule read back from the file's own pages.
    const { bytes } = await pagesToPdf(
      [licencePage(297, 210), licencePage(210, 297), licencePage(420, 297)],
      archiveFonts(),
      { title: 't', author: 'a' },
    )
    const sizes = pdfPageSizes(bytes)
    expect(sizes.map((s) => s.width > s.height)).toEqual([true, false, true])
    expect(sizes[0]!.width).toBeCloseTo((297 * 72) / 25.4, 1)
    expect(mostlyLandscape(sizes)).toBe(true)
    expect(pdfPageSizes(Buffer.from('not a pdf'))).toEqual([])
  })
})
