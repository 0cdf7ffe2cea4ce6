/** Issuing licences: the catalogue's licence types, the form, identifiers, status changes, outbox. */
export {
  createSealer,
  decodeDataKey,
  resolveDataKey,
  type DataKeyOptions,
  type Sealer,
} from './data-key'
export type { ComposeInput, IssuanceDocuments, PreviewImage, SignedDocument } from './documents'
export {
  licenceIdentifier,
  nextSerial,
  splitSerial,
  terminalIdFromTag,
  terminalTag,
} from './identifiers'
export {
  leaseOwner,
  OutboxStore,
  type ClaimedItem,
  type ExchangeRecord,
  type FailureInfo,
  type OutboxDeadline,
  type OutboxEntry,
  type OutboxRow,
} from './outbox'
export { BulkIssuance, type BulkDeps } from './bulk'
export { columnLetter, decodeCsvBytes, parseCsv, readBulkCsv, type CsvTable } from './bulk-csv'
export { checkBulkList, checkBulkRows, normaliseDate, type BulkRowData } from './bulk-rows'
export { describeBulkProblem } from './bulk-problems'
export { BulkStore } from './bulk-store'
export {
  IssuanceService,
  maskHolderCode,
  maskName,
  staffRef,
  type DeadlinePolicy,
  type IssuanceDeps,
  type IssuerInfo,
} from './service'
export {
  createTemplateStore,
  parseCatalogueEntries,
  templateView,
  type CatalogueEntryProblem,
  type TemplateStore,
} from './templates'
export { TRAINING_LICENCE_TYPES } from './training-catalogue'
export { createIssuanceModule, type IssuanceModule, type IssuanceModuleOptions } from './module'
export {
  createUnitSeal,
  type OpenedUnitSeal,
  type TokenAccess,
  type UnitSeal,
  type UnitSealOptions,
} from './unit-seal'
export {
  createOfdDocuments,
  writerTemplateFromCatalogue,
  type OfdDocumentsOptions,
  type SealKey,
  type TrainingSealKit,
} from './ofd-documents'
