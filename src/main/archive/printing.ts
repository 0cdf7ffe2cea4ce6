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
