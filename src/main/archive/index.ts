/**
 * Paper archive copies (rules art. 23): licences painted from the OFD render model into PDF with
 * pdfkit, under an archive header and footer, registered in SQLite, in batches, printed through
 * a port the Electron shell provides. This file is the domain's only public face.
 */
export { DrawListBuilder, type TextStyle } from './builder'
export {
  composeArchivePages,
  paperSize,
  type ArchiveHeader,
  type ArchivePerson,
  type ComposeOptions,
} from './compose'
export { type CopySource } from './copies'
export {
  createArchiveFonts,
  type ArchiveFace,
  type ArchiveFontOptions,
  type ArchiveFonts,
} from './fonts'
export {
  prepareLicence,
  type LicenceFileInput,
  type LicenceMeta,
  type PreparedLicence,
  type SealCheck,
} from './licence-file'
export { configuredArchive, createArchiveModule, type ArchiveModuleOptions } from './module'
export { pagesToPdf, type PaintStats, type PdfInfo } from './pdf'
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
export { ArchiveService, type ArchiveServiceOptions, type ArchiveSettings } from './service'
export {
  describeVerification,
  verificationGood,
  verificationLine,
  type LibraryOutcome,
  type SealOutcome,
} from './verification'
