/**
 * Paper archive copies (rules art. 23): licences painted from the OFD render model into PDF with
 * pdfkit, under an archive header and footer, registered in SQLite, in batches, printed through
 * a port the Electron shell provides. This file is the domain's only public face.
 */
export { BatchRunner, STALE_MS, type PlannedItem } from './batch'
export { findBusinesses, type BusinessLicence, type BusinessRecord } from './businesses'
export { DrawListBuilder, type TextStyle } from './builder'
export {
  composeArchivePages,
  PAPER_MM,
  paperSize,
  type ArchiveHeader,
  type ArchivePerson,
  type ComposeOptions,
} from './compose'
export { CopyMaker, type CopySource, type ResolvedCopy } from './copies'
export {
  createArchiveFonts,
  systemFontCandidates,
  type ArchiveFace,
  type ArchiveFontOptions,
  type ArchiveFonts,
  type SystemFontCandidate,
} from './fonts'
export {
  detectFormat,
  prepareLicence,
  type LicenceFileInput,
  type LicenceMeta,
  type PreparedLicence,
  type SealCheck,
} from './licence-file'
export { configuredArchive, createArchiveModule, type ArchiveModuleOptions } from './module'
export { ArchivePdf, pagesToPdf, PT_PER_MM, type PaintStats, type PdfInfo } from './pdf'
export { mostlyLandscape, pdfPageSizes, type PrintingPort, type PrintJob } from './printing'
export {
  checkQrContent,
  judgeQr,
  keyFingerprint,
  keyId,
  parseQrContent,
  qrContent,
  qrPath,
  type ArchiveKey,
  type ArchiveQrClaims,
  type QrCheck,
  type RegisterLookup,
} from './qr'
export {
  ArchiveRegister,
  type KeySealer,
  type Actor,
  type CopyInput,
  type PrintStart,
  type StartedPrint,
} from './register'
export {
  ArchiveService,
  SANDBOX_VERIFY_URL,
  type ArchiveServiceOptions,
  type ArchiveSettings,
} from './service'
export {
  describeVerification,
  verificationGood,
  verificationLine,
  type LibraryOutcome,
  type SealOutcome,
} from './verification'
