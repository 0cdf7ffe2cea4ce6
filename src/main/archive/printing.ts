/**
 * Where printing plugs in. The core is plain Node and cannot reach a printer; the Electron shell
 * gives it a port (`src/main/shell/printing.ts`) that prints PDF bytes through Chromium's PDF
 * viewer, with the system dialog or silently to a named printer. Without a port, copies are
 * still made and saved as PDF files, and the UI says printing is unavailable.
 */
import type { Paper, Printer, PrintMode } from '../../shared/domain'

export interface PrintJob {
  readonly pdf: Uint8Array
  /** Shown in the print queue and the dialog. */
  readonly title: string
  readonly paper: Paper
  readonly landscape: boolean
  readonly mode: PrintMode
  /** Required for silent printing; the dialog preselects it when given. */
  readonly printer?: string
}

export interface PrintingPort {
  printers(): Promise<Printer[]>
  /** Resolves when the job is spooled; throws `ARCHIVE_PRINT_*` / `ARCHIVE_PRINTER_NOT_FOUND`. */
  print(job: PrintJob): Promise<void>
}

interface PageSize {
  readonly width: number
  readonly height: number
}

/**
 * How a file goes to the printer: landscape when more of its pages are landscape than
 * portrait (a tie, or no pages, prints portrait). Batches decide this from the pages they
 * paint, reprints from the pages of the file; both by this rule.
 */
export function mostlyLandscape(pages: readonly PageSize[]): boolean {
  let balance = 0
  for (const p of pages) balance += p.width > p.height ? 1 : p.width < p.height ? -1 : 0
  return balance > 0
}

const MEDIA_BOX = /\/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]/g

/**
 * The page sizes of a PDF this domain wrote: pdfkit puts each page's MediaBox in a plain
 * (uncompressed) page dictionary and never turns a page with /Rotate.
 */
export function pdfPageSizes(pdf: Uint8Array): PageSize[] {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1')
  const sizes: PageSize[] = []
  for (const m of text.matchAll(MEDIA_BOX)) {
    const width = Math.abs(Number(m[3]) - Number(m[1]))
    const height = Math.abs(Number(m[4]) - Number(m[2]))
    if (Number.isFinite(width) && Number.isFinite(height)) sizes.push({ width, height })
  }
  return sizes
}
