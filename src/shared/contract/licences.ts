/**
 * Licences at the window: scoped listing, preview, verification, copies, materials, QR look-up,
 * the supervisor's manual holder entry, and the matter catalogue's administration.
 *
 * The UI never names the holder or the licence types of a query: the core takes both from the
 * applicant session. Methods that name a licence accept only identifiers the core listed for the
 * current applicant and matter.
 */
import { z } from 'zod'
import {
  AttachRecordSchema,
  BusinessSerialSchema,
  CatalogueInfoSchema,
  CopyResultSchema,
  HolderKindSchema,
  LicenceListSchema,
  LicencePreviewSchema,
  MatterCatalogueSchema,
  QrLookupSchema,
  VerificationSchema,
} from '../domain'
import { none, type EventTable, type MethodTable } from './table'
import { SessionViewSchema } from './core'

const IdentifierSchema = z.string().min(1).max(128)

export const ManualHolderInputSchema = z.object({
  kind: HolderKindSchema,
  /** The holder identity type code (111 公民身份号码, 001 统一社会信用代码, …). */
  holderTypeCode: z.string().regex(/^\d{3}$/),
  code: z.string().trim().min(4).max(64),
  name: z.string().trim().min(1).max(100),
  /** Why the holder could not be identified by card, chip or key. Recorded and logged. */
  reason: z.string().trim().min(4).max(200),
})
export type ManualHolderInput = z.infer<typeof ManualHolderInputSchema>

export const QrSampleSchema = z.object({
  label: z.string(),
  content: z.string(),
})

/** What the signed-in person may do here, so the UI offers only that (the core checks again). */
export const LicenceCapabilitiesSchema = z.object({
  staffName: z.string().nullable(),
  role: z.enum(['clerk', 'supervisor', 'administrator']).nullable(),
  enterHolder: z.boolean(),
  audit: z.boolean(),
  editCatalogue: z.boolean(),
})
export type LicenceCapabilities = z.infer<typeof LicenceCapabilitiesSchema>

export const licencesMethods = {
  /** What the signed-in person may do with licences, the log and the catalogue. */
  'licences.capabilities': { args: none, result: LicenceCapabilitiesSchema },
  /**
   * The current applicant's licences for the selected matter. When the library cannot be reached,
   * the copy cached for this applicant (if the cache policy allows one) marked `offline`.
   */
  'licences.list': { args: none, result: LicenceListSchema },
  /** One listed licence: face data, the document (OFD render model or image) and its seal check. */
  'licences.preview': { args: z.tuple([IdentifierSchema]), result: LicencePreviewSchema },
  /** Checks a listed licence: the seal locally, the file and information at the library, live status. */
  'licences.verify': { args: z.tuple([IdentifierSchema]), result: VerificationSchema },
  /** Downloads an annotated copy (加注件) for the matter's reason of use into the export folder. */
  'licences.copy': { args: z.tuple([IdentifierSchema]), result: CopyResultSchema },
  /** Sets the business serial number (办件流水号) for the current applicant; it goes into queries and the log. */
  'licences.setSerial': { args: z.tuple([BusinessSerialSchema.nullable()]), result: z.null() },
  /** Selects listed licences as application materials: a record and an export for the business system. */
  'licences.attach': {
    args: z.tuple([
      z.object({
        businessSerial: BusinessSerialSchema,
        identifiers: z.array(IdentifierSchema).min(1).max(50),
      }),
    ]),
    result: AttachRecordSchema,
  },
  /** Looks a licence up by the content of its QR code and verifies it; it must belong to the applicant and matter. */
  'licences.qr': {
    args: z.tuple([z.string().trim().min(8).max(2048)]),
    result: QrLookupSchema,
  },
  /** Supervisors only: identify a holder by hand, with the reason recorded. */
  'licences.enterHolder': { args: z.tuple([ManualHolderInputSchema]), result: SessionViewSchema },
  /** Training mode only: the QR codes the practice holders would show on their phones. */
  'licences.qrSamples': { args: none, result: z.array(QrSampleSchema) },

  /** Where the active matter catalogue came from. */
  'catalogue.info': { args: none, result: CatalogueInfoSchema },
  /** Administrators only: load the catalogue from the library. */
  'catalogue.reload': { args: none, result: CatalogueInfoSchema },
  /** Administrators only: load a signed catalogue file's text. */
  'catalogue.importSigned': {
    args: z.tuple([
      z
        .string()
        .min(2)
        .max(4 * 1024 * 1024),
    ]),
    result: CatalogueInfoSchema,
  },
  /** Administrators only: the catalogue as edited on this terminal. */
  'catalogue.save': { args: z.tuple([MatterCatalogueSchema]), result: CatalogueInfoSchema },
  /** The whole catalogue, for the administrators' editor. */
  'catalogue.get': { args: none, result: MatterCatalogueSchema },
} as const satisfies MethodTable

export const licencesEvents = {
  /** The matter catalogue was replaced (reloaded, imported or edited). */
  catalogue: CatalogueInfoSchema,
} as const satisfies EventTable
