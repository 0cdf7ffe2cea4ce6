/**
 * Paper archive copies (rules art. 23): a licence painted from its OFD with an archive header and
 * footer, registered under an archive number; batches over a period, a matter or business serials.
 */
import { z } from 'zod'
import { isCalendarDate } from './issuance'
import { RenderPageSchema } from './ofd'

export const PaperSchema = z.enum(['A4', 'A3'])
export type Paper = z.infer<typeof PaperSchema>

/** `auto`: the paper turns to match the licence (a landscape licence on landscape paper). */
export const OrientationSchema = z.enum(['auto', 'portrait', 'landscape'])
export type Orientation = z.infer<typeof OrientationSchema>

/** A calendar day that exists: `2026-13-01` would reach a query as no instant, `2026-02-30` as another day. */
const DateSchema = z.string().refine(isCalendarDate, { message: '日期应为存在的 YYYY-MM-DD' })
const IdentifierSchema = z.string().trim().min(1).max(128)
const SerialSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/)

/**
 * What the copy says, at print time, about the licence being genuine and in force. Each part is
 * `unchecked` (with the reason) when it could not be checked: never a guessed "valid".
 */
export const ArchiveVerificationSchema = z.object({
  seal: z.object({
    /** `none`: the file carries no signature; `not-applicable`: an image has no seal to check. */
    state: z.enum(['valid', 'invalid', 'none', 'not-applicable', 'unchecked']),
    /** As printed, e.g. 电子签章有效（1 个签章，签章人：郑州市市场监督管理局）. */
    text: z.string(),
  }),
  library: z.object({
    state: z.enum(['in-force', 'not-in-force', 'not-found', 'unchecked']),
    /** The library's status label (有效, 注销 …) when it answered. */
    status: z.string().optional(),
    text: z.string(),
  }),
  checkedAt: z.string(),
})
export type ArchiveVerification = z.infer<typeof ArchiveVerificationSchema>

/** One licence to archive, optionally for a business. */
export const ArchiveItemSchema = z.object({
  identifier: IdentifierSchema,
  businessSerial: SerialSchema.optional(),
})
export type ArchiveItem = z.infer<typeof ArchiveItemSchema>

/** A supervisor's selection: a period, a matter, a list of business serials, or all three. */
export const ArchiveQuerySchema = z
  .object({
    /** Inclusive Shanghai calendar dates of the business (when the licences were taken as materials). */
    from: DateSchema.optional(),
    to: DateSchema.optional(),
    matterCode: z.string().trim().min(1).max(64).optional(),
    serials: z.array(SerialSchema).min(1).max(500).optional(),
  })
  .refine((q) => q.from || q.to || q.matterCode || q.serials, {
    message: '请至少指定时间段、事项或业务流水号之一',
  })
export type ArchiveQuery = z.infer<typeof ArchiveQuerySchema>

export const ArchiveCandidateSchema = z.object({
  identifier: z.string(),
  typeName: z.string(),
  number: z.string(),
  /** The licence file is in the materials export on this terminal (else it comes from the library). */
  localFile: z.boolean(),
  /** The copy's archive number when one was made before. */
  archiveNo: z.string().optional(),
  /** Completed prints so far (a further one is a reprint). */
  prints: z.number().int(),
})
export type ArchiveCandidate = z.infer<typeof ArchiveCandidateSchema>

export const ArchiveBusinessSchema = z.object({
  businessSerial: z.string(),
  matterCode: z.string(),
  matterName: z.string(),
  /** When the licences were taken as materials (UTC ISO). */
  at: z.string(),
  /** Masked holder identity code. */
  holder: z.string(),
  items: z.array(ArchiveCandidateSchema),
})
export type ArchiveBusiness = z.infer<typeof ArchiveBusinessSchema>

export const PrintModeSchema = z.enum(['dialog', 'silent'])
export type PrintMode = z.infer<typeof PrintModeSchema>

export const BatchSpecSchema = z
  .object({
    query: ArchiveQuerySchema.optional(),
    items: z.array(ArchiveItemSchema).min(1).max(2000).optional(),
    /** One PDF per business, or one combined file. */
    output: z.enum(['per-business', 'combined']),
    paper: PaperSchema,
    orientation: OrientationSchema.default('auto'),
    /** Also send each file to a printer as it is made. */
    print: z
      .object({ mode: PrintModeSchema, printer: z.string().min(1).max(256).optional() })
      .optional(),
  })
  .refine((s) => s.query || s.items, { message: '请选择要打印的业务或证照' })
export type BatchSpec = z.infer<typeof BatchSpecSchema>

export const BatchStateSchema = z.enum(['running', 'interrupted', 'cancelled', 'done', 'failed'])
export type BatchState = z.infer<typeof BatchStateSchema>

export const BatchFileSchema = z.object({
  /** Relative to the archive output folder. */
  path: z.string(),
  copies: z.number().int(),
  pages: z.number().int(),
  bytes: z.number().int(),
  /** `printed:<printer>`, `print-failed:<code>` or absent when not sent to a printer. */
  printed: z.string().optional(),
})
export type BatchFile = z.infer<typeof BatchFileSchema>

export const BatchViewSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  state: BatchStateSchema,
  output: z.enum(['per-business', 'combined']),
  paper: PaperSchema,
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  /** What is being painted now. */
  current: z.string().optional(),
  files: z.array(BatchFileSchema),
  errors: z.array(
    z.object({
      identifier: z.string(),
      businessSerial: z.string(),
      code: z.string(),
      message: z.string(),
    }),
  ),
  finishedAt: z.string().optional(),
})
export type BatchView = z.infer<typeof BatchViewSchema>

/** One entry of the archive register: a copy made (printed or written to a file). */
export const ArchivePrintSchema = z.object({
  id: z.number().int(),
  archiveNo: z.string(),
  /** 1 for the first print of this copy; 2 and up are reprints. */
  printNo: z.number().int(),
  reprint: z.boolean(),
  identifier: z.string(),
  businessSerial: z.string(),
  matterCode: z.string(),
  matterName: z.string(),
  licence: z.string(),
  printedAt: z.string(),
  staffName: z.string(),
  staffCode: z.string(),
  staffRole: z.string(),
  terminal: z.string(),
  paper: z.string(),
  pages: z.number().int(),
  seal: z.string(),
  verification: z.string(),
  output: z.string(),
  /** The printer the file was sent to (`(系统对话框)`: chosen in the dialog); empty when only saved. */
  printer: z.string(),
  batchId: z.string(),
  state: z.enum(['pending', 'done', 'cancelled']),
})
export type ArchivePrint = z.infer<typeof ArchivePrintSchema>

export const RegisterQuerySchema = z.object({
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  businessSerial: z.string().trim().max(64).optional(),
  identifier: z.string().trim().max(128).optional(),
  limit: z.number().int().min(1).max(5000).optional(),
})
export type RegisterQuery = z.infer<typeof RegisterQuerySchema>

export const PreviewRequestSchema = z.object({
  item: ArchiveItemSchema,
  paper: PaperSchema,
  orientation: OrientationSchema.default('auto'),
})
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>

export const ArchivePreviewSchema = z.object({
  /** The archive pages exactly as they will print, as draw lists (the OFD render model). */
  pages: z.array(RenderPageSchema),
  verification: ArchiveVerificationSchema,
  /** The copy exists already: printing it again is a reprint. */
  archiveNo: z.string().optional(),
  prints: z.number().int(),
  warnings: z.array(z.string()),
})
export type ArchivePreview = z.infer<typeof ArchivePreviewSchema>

export const PrinterSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  isDefault: z.boolean(),
})
export type Printer = z.infer<typeof PrinterSchema>

export const PrintersSchema = z.object({
  /** False where there is no print system (the CLI, tests): copies are saved as PDF files. */
  available: z.boolean(),
  printers: z.array(PrinterSchema),
})
export type Printers = z.infer<typeof PrintersSchema>

export const QrCheckSchema = z.object({
  valid: z.boolean(),
  problem: z.enum(['format', 'unknown-key', 'signature', 'expired']).optional(),
  archiveNo: z.string().optional(),
  identifier: z.string().optional(),
  issuerCode: z.string().optional(),
  unitCode: z.string().optional(),
  expiresOn: z.string().optional(),
  /** The copy as this terminal's register knows it. */
  registered: z
    .object({ printedAt: z.string(), printedBy: z.string(), prints: z.number().int() })
    .optional(),
})
export type QrCheckView = z.infer<typeof QrCheckSchema>
