/**
 * Paper archive copies (rules art. 23), for supervisors only: choose businesses, preview a copy
 * exactly as it prints, run batches with progress and cancel, read the archive register, print.
 */
import { z } from 'zod'
import {
  ArchiveBusinessSchema,
  ArchivePreviewSchema,
  ArchivePrintSchema,
  ArchiveQuerySchema,
  BatchSpecSchema,
  BatchViewSchema,
  PreviewRequestSchema,
  PrintersSchema,
  PrintModeSchema,
  QrCheckSchema,
  RegisterQuerySchema,
} from '../domain'
import { none, type EventTable, type MethodTable } from './table'

const BatchIdSchema = z.string().regex(/^AB\d{8}-\d{6}-[0-9A-F]{4}$/)

export const archiveMethods = {
  /** The businesses (and their licences) a period, a matter or a list of serials selects. */
  'archive.candidates': {
    args: z.tuple([ArchiveQuerySchema]),
    result: z.array(ArchiveBusinessSchema),
  },
  /** One licence's archive pages as they will print (no number is given by looking). */
  'archive.preview': { args: z.tuple([PreviewRequestSchema]), result: ArchivePreviewSchema },
  /** Starts a batch; follow it with the `archive` event. One batch runs at a time. */
  'archive.start': { args: z.tuple([BatchSpecSchema]), result: BatchViewSchema },
  /** Stops the batch after the copy in hand; what is numbered keeps its number. */
  'archive.cancel': { args: z.tuple([BatchIdSchema]), result: BatchViewSchema },
  /** Continues an interrupted (crashed) or cancelled batch with the numbers already given. */
  'archive.resume': { args: z.tuple([BatchIdSchema]), result: BatchViewSchema },
  /** Recent batches, newest first. */
  'archive.batches': { args: none, result: z.array(BatchViewSchema) },
  /** The archive register: what was printed, when, by whom, for which business; reprints marked. */
  'archive.register': {
    args: z.tuple([RegisterQuerySchema]),
    result: z.array(ArchivePrintSchema),
  },
  /** The printers this computer has; `available: false` where there is no print system. */
  'archive.printers': { args: none, result: PrintersSchema },
  /** Prints a file a batch made: the system dialog, or silently to a chosen printer. */
  'archive.printFile': {
    args: z.tuple([
      z.object({
        batchId: BatchIdSchema,
        path: z.string().min(1).max(300),
        mode: PrintModeSchema,
        printer: z.string().min(1).max(256).optional(),
      }),
    ]),
    result: z.object({ printed: z.literal(true) }),
  },
  /** Checks an archive copy's QR code content against this office's keys and register. */
  'archive.verifyQr': {
    args: z.tuple([z.string().trim().min(8).max(4096)]),
    result: QrCheckSchema,
  },
} as const satisfies MethodTable

export const archiveEvents = {
  /** A batch moved on (a copy done or failed, a file written) or stopped. */
  archive: BatchViewSchema,
} as const satisfies EventTable
