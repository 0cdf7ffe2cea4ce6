/** Licences at the window: the library client, the matter catalogue, scoped retrieval, the module. */
export {
  ATTACHMENT_QUERY_LIMIT,
  findAttachments,
  recordAttachment,
  type AttachmentQuery,
  type AttachmentRecord,
} from './attachments'
export { authHeaders, requestSignature, signingString, type LibraryAuth } from './auth'
export { OfflineCache, type CachePolicy } from './cache'
export {
  ActiveCatalogue,
  canonicalJson,
  compareCatalogueVersions,
  loadCatalogue,
  parseCatalogue,
  parseCatalogueText,
  readCatalogueFile,
  signCatalogue,
  storeCatalogue,
  verifySignedCatalogue,
  type CatalogueProvenance,
  type CatalogueService,
  type LoadCatalogueOptions,
} from './catalogue'
export {
  createLibraryClient,
  isLibraryUnreachable,
  type LibraryClient,
  type LibraryClientOptions,
  type LicenceFile,
} from './client'
export { checkOfdContainer, jpegInfo, pngInfo, safeFileName, sniffFile } from './files'
export { manualApplicant } from './manual'
export { writeMaterials } from './materials'
export { createLicencesModule, type LicencesModuleOptions } from './module'
export { createOfdAdapter, licenceSeal, type OfdAdapterOptions } from './ofd-adapter'
export {
  SEAL_PENDING,
  SEAL_NO_VERIFIER,
  SEAL_NOT_CHECKED_IMAGE,
  type OfdDocumentView,
  type OfdPort,
  type SealCheck,
} from './ofd-port'
export { certificatesFromText, loadSealRoots } from './seal-roots'
export {
  buildList,
  inScope,
  listForMatter,
  matterTypes,
  toSummary,
  type Operator,
  type RetrievalContext,
  type ScopedHolder,
} from './retrieval'
export { assess, type VerdictInput } from './verdict'
export {
  QR_ERROR_CODES,
  SHARE_PATHS,
  WireByQrSchema,
  WireFileRequestSchema,
  WireLicenceSchema,
  WireListResponseSchema,
  WireQuerySchema,
  WireVerifyFileSchema,
  WireVerifyInfoSchema,
  type WireFileFormat,
  type WireFileRequest,
  type WireLicence,
  type WireQuery,
  type WireUse,
} from './wire'
export { ApplicantWorkspace } from './workspace'
