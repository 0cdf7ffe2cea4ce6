/** The access log (rules art. 27): supervisors read it, export it and check its hash chain. */
import { z } from 'zod'
import { AuditEntrySchema, AuditExportSchema, AuditQuerySchema, ChainCheckSchema } from '../domain'
import { none, type MethodTable } from './table'

export const auditMethods = {
  /** Supervisors only: entries, newest first. */
  'audit.list': { args: z.tuple([AuditQuerySchema]), result: z.array(AuditEntrySchema) },
  /** Supervisors only: writes CSV or JSON to the export folder, with the chain checked. */
  'audit.export': {
    args: z.tuple([AuditQuerySchema.extend({ format: z.enum(['csv', 'json']) })]),
    result: AuditExportSchema,
  },
  /** Supervisors only: checks the whole hash chain. */
  'audit.verify': { args: none, result: ChainCheckSchema },
} as const satisfies MethodTable
