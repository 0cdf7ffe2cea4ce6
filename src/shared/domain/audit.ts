/** The access log of rules art. 27, as supervisors see it. */
import { z } from 'zod'

export const AuditActionSchema = z.enum([
  'list',
  'preview',
  'download',
  'verify',
  'attach',
  'qr-lookup',
  'manual-holder',
  'catalogue-change',
  /** Reading or verifying the access log itself; only refusals are recorded. */
  'audit-view',
  'audit-export',
  'audit-prune',
])
export type AuditAction = z.infer<typeof AuditActionSchema>

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: AuditActionSchema,
  staffName: z.string(),
  /** The staff certificate's identifier. */
  staffCert: z.string(),
  staffRole: z.string(),
  terminal: z.string(),
  /** Masked: `410105********0032`. */
  holder: z.string(),
  holderType: z.string(),
  matter: z.string(),
  reason: z.string(),
  businessSerial: z.string(),
  licences: z.array(z.string()),
  /** `ok`, `cache` (served offline), `refused:<code>` or `failed:<code>`. */
  result: z.string(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntrySchema>

export const ChainCheckSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  /** The first entry that does not follow from its predecessor, and why. */
  broken: z
    .object({
      seq: z.number().int(),
      at: z.string(),
      problem: z.enum(['hash', 'link', 'gap']),
    })
    .optional(),
})
export type ChainCheck = z.infer<typeof ChainCheckSchema>

export const AuditQuerySchema = z.object({
  /** Inclusive Shanghai calendar dates. */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  action: AuditActionSchema.optional(),
  limit: z.number().int().min(1).max(5000).optional(),
})
export type AuditQuery = z.infer<typeof AuditQuerySchema>

export const AuditExportSchema = z.object({
  format: z.enum(['csv', 'json']),
  /** The file written, relative to the export folder. */
  path: z.string(),
  entries: z.number().int(),
  bytes: z.number().int(),
  chain: ChainCheckSchema,
})
export type AuditExport = z.infer<typeof AuditExportSchema>
