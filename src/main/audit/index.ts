/** The access log (rules art. 27): append-only, hash-chained, kept at least three years. */
export { canonicalEntry, entryHash, GENESIS_HASH, verifyChain, type ChainedFields } from './chain'
export { CSV_COLUMNS, csvCell, csvLines, toJson } from './export'
export { writeFileAtomic } from './files'
export {
  AuditLog,
  auditResult,
  certificateOf,
  MIN_RETENTION_YEARS,
  type AuditActor,
  type AuditLogOptions,
  type AuditRecord,
} from './log'
export { createAuditLog, createAuditModule, type AuditModuleOptions } from './module'
export { openAuditDatabase } from './open'
