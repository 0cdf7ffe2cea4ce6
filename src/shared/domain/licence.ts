/** Licences as the sharing service describes them (GB/T 36903 metadata as used in practice). */
import { z } from 'zod'
import { OfdOutlineSchema, RenderPageSchema, SealStatusSchema } from './ofd'

/** Statuses are data, not an enum baked into the UI: the library may add more. */
export const LicenceStatusSchema = z.object({
  code: z.string(),
  label: z.string(),
  /** Whether the licence may be relied on as it stands. */
  inForce: z.boolean(),
})
export type LicenceStatus = z.infer<typeof LicenceStatusSchema>

/**
 * The local check of a licence file's electronic seal. `unchecked` until a file has been verified
 * on this terminal; the UI shows it as 未核验 and never guesses.
 */
export const LicenceSealSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('unchecked'), reason: z.string().optional() }),
  z.object({
    state: z.literal('valid'),
    signer: z.string(),
    sealName: z.string().optional(),
    signedAt: z.string().optional(),
  }),
  /** A signed part of the file changed after signing. */
  z.object({ state: z.literal('altered'), reason: z.string() }),
  /** The signature value does not verify. */
  z.object({ state: z.literal('invalid'), reason: z.string() }),
  /** The signer certificate is untrusted, expired or revoked. */
  z.object({ state: z.literal('untrusted'), reason: z.string(), signer: z.string().optional() }),
  /** The file carries no usable signature, or cannot be read. */
  z.object({ state: z.literal('unverifiable'), reason: z.string() }),
])
export type LicenceSeal = z.infer<typeof LicenceSealSchema>
export type LicenceSealState = LicenceSeal['state']

export const LicenceSummarySchema = z.object({
  identifier: z.string(),
  identifierCheckOk: z.boolean(),
  typeCode: z.string(),
  typeName: z.string(),
  number: z.string(),
  holderName: z.string(),
  issuer: z.string(),
  issuerCode: z.string(),
  issuedOn: z.string(),
  validFrom: z.string(),
  validTo: z.union([z.string(), z.literal('long-term')]),
  status: LicenceStatusSchema,
  /** The validity end has passed (过期), whatever the stored status says. */
  expired: z.boolean(),
  /** The seal check done on this terminal for this applicant, if any. */
  seal: LicenceSealSchema.optional(),
})
export type LicenceSummary = z.infer<typeof LicenceSummarySchema>

export const LicenceListSchema = z.object({
  matterCode: z.string(),
  items: z.array(LicenceSummarySchema),
  /** Required types the holder has no licence of. */
  missingTypes: z.array(z.object({ code: z.string(), name: z.string() })),
  /** When the library produced this data (for a cached list: when it was cached). */
  fetchedAt: z.string(),
  /** Present when the library could not be reached and this is the cached copy: "离线 — 数据截至 …". */
  offline: z.object({ asOf: z.string(), reason: z.string() }).optional(),
})
export type LicenceList = z.infer<typeof LicenceListSchema>

/** One line of the licence face (照面信息), as the library sends it. */
export const LicenceFaceFieldSchema = z.object({ name: z.string(), value: z.string() })
export type LicenceFaceField = z.infer<typeof LicenceFaceFieldSchema>

/** 加注件: what the library stamped on a copy made for a use. */
export const CopyAnnotationSchema = z.object({
  madeAt: z.string(),
  maker: z.string(),
  reason: z.string(),
  /** The copy's expiry as the library set it (`YYYY-MM-DD` or an ISO time). */
  expiresAt: z.string(),
})
export type CopyAnnotation = z.infer<typeof CopyAnnotationSchema>

/**
 * The document as the preview can show it. `ofd` carries the OFD module's render model (a draw
 * list per page) for the renderer's page painter; `image` a PNG or JPEG the library supplied.
 */
export const LicenceDocumentSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ofd'),
    /** Every page's size, so the viewer lays out pages before any is painted. */
    outline: OfdOutlineSchema,
    /**
     * The first pages (at most the preview's limit): the OFD module's draw list for a renderer
     * painter, and the same page rasterised in main for the viewer to show meanwhile.
     */
    pages: z.array(
      z.object({
        index: z.number().int().min(0),
        model: RenderPageSchema.optional(),
        raster: z
          .object({ dataUrl: z.string(), width: z.number().int(), height: z.number().int() })
          .optional(),
      }),
    ),
  }),
  z.object({
    kind: z.literal('image'),
    mediaType: z.enum(['image/png', 'image/jpeg']),
    dataUrl: z.string(),
    width: z.number().int().min(1),
    height: z.number().int().min(1),
  }),
  z.object({ kind: z.literal('unavailable'), code: z.string(), reason: z.string() }),
])
export type LicenceDocument = z.infer<typeof LicenceDocumentSchema>

export const LicencePreviewSchema = z.object({
  summary: LicenceSummarySchema,
  faceFields: z.array(LicenceFaceFieldSchema),
  holderIdentityMasked: z.string(),
  regionCode: z.string().optional(),
  document: LicenceDocumentSchema,
  format: z.enum(['ofd', 'png', 'jpeg', 'none']),
  annotation: CopyAnnotationSchema.optional(),
  seal: LicenceSealSchema,
  /** Set when the file came from the offline cache. */
  offline: z.object({ asOf: z.string() }).optional(),
  fetchedAt: z.string(),
})
export type LicencePreview = z.infer<typeof LicencePreviewSchema>

/** The library's own checks: the file against its record, and the record's live status. */
export const LibraryCheckSchema = z.object({
  /** The file matches what the library holds (verify-file), or `unknown` when it was not asked. */
  file: z.enum(['consistent', 'inconsistent', 'unknown']),
  /** The licence information matches the library's record (verify-info). */
  info: z.enum(['consistent', 'inconsistent', 'not-found', 'unknown']),
  liveStatus: z.string().optional(),
})
export type LibraryCheck = z.infer<typeof LibraryCheckSchema>

export const FindingCodeSchema = z.enum([
  'seal-altered',
  'seal-invalid',
  'seal-untrusted',
  'seal-unverifiable',
  'seal-unchecked',
  'file-inconsistent',
  'info-inconsistent',
  'not-found',
  'not-in-force',
  'expired',
  'library-unreachable',
  'identifier-check',
])
export type FindingCode = z.infer<typeof FindingCodeSchema>

/** Seal checks that failed, with the finding each is: an unchecked seal is not among them. */
export const FAILED_SEAL_FINDING = {
  altered: 'seal-altered',
  invalid: 'seal-invalid',
  untrusted: 'seal-untrusted',
  unverifiable: 'seal-unverifiable',
} as const satisfies Partial<Record<LicenceSealState, FindingCode>>
export type FailedSealState = keyof typeof FAILED_SEAL_FINDING

export function isSealFailed(
  seal: LicenceSeal,
): seal is Extract<LicenceSeal, { state: FailedSealState }> {
  return Object.hasOwn(FAILED_SEAL_FINDING, seal.state)
}

/**
 * Why a licence may not go into the application materials: a failed seal check, a status not in
 * force, a passed validity, or a library that says the file or the information is not its own.
 * Empty when it may. The core refuses with it; the screen uses the same rule to say so first.
 */
export function materialProblems(input: {
  readonly seal: LicenceSeal
  readonly status: LicenceStatus
  readonly expired: boolean
  /** What the library answered when it was asked (verify-file, verify-info), if it was. */
  readonly library?: LibraryCheck | undefined
}): FindingCode[] {
  const problems: FindingCode[] = []
  if (isSealFailed(input.seal)) problems.push(FAILED_SEAL_FINDING[input.seal.state])
  if (!input.status.inForce) problems.push('not-in-force')
  if (input.expired) problems.push('expired')
  if (input.library?.file === 'inconsistent') problems.push('file-inconsistent')
  if (input.library?.info === 'inconsistent') problems.push('info-inconsistent')
  if (input.library?.info === 'not-found') problems.push('not-found')
  return problems
}

export const FindingSchema = z.object({
  code: FindingCodeSchema,
  tone: z.enum(['danger', 'caution', 'info']),
  /** e.g. the status label, or the seal check's reason. */
  detail: z.string().optional(),
})
export type Finding = z.infer<typeof FindingSchema>

export const VerificationSchema = z.object({
  identifier: z.string(),
  checkedAt: z.string(),
  seal: LicenceSealSchema,
  library: LibraryCheckSchema,
  status: LicenceStatusSchema,
  expired: z.boolean(),
  /** `ok` only when the seal is valid, the library agrees and the licence is in force. */
  verdict: z.enum(['ok', 'caution', 'danger']),
  /** What the clerk must know, most serious first; the UI words each code. */
  findings: z.array(FindingSchema),
  /** Each signature's own status, by its ID in the OFD, for outlining the stamps on the page. */
  signatures: z.record(z.string(), SealStatusSchema).optional(),
})
export type Verification = z.infer<typeof VerificationSchema>

export const CopyResultSchema = z.object({
  identifier: z.string(),
  /**
   * Whether the library made the copy for this use (加注件, with `annotation`). When it could
   * give only the plain image, the file is saved under another name and the clerk is told so.
   */
  annotated: z.boolean(),
  fileName: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  annotation: CopyAnnotationSchema.optional(),
  savedAt: z.string(),
  /** Where the copy was written, relative to the export folder. */
  path: z.string(),
})
export type CopyResult = z.infer<typeof CopyResultSchema>

export const AttachItemSchema = z.object({
  identifier: z.string(),
  typeName: z.string(),
  number: z.string(),
  status: z.string(),
  fileName: z.string(),
  format: z.enum(['ofd', 'png', 'jpeg']),
  bytes: z.number().int(),
  sha256: z.string(),
  seal: LicenceSealSchema,
  annotation: CopyAnnotationSchema.optional(),
})
export type AttachItem = z.infer<typeof AttachItemSchema>

/** Licences chosen as application materials for one business serial number. */
export const AttachRecordSchema = z.object({
  id: z.number().int(),
  businessSerial: z.string(),
  matterCode: z.string(),
  createdAt: z.string(),
  items: z.array(AttachItemSchema),
  /** The export folder for the business system, relative to the export root. */
  exportPath: z.string(),
})
export type AttachRecord = z.infer<typeof AttachRecordSchema>

/** A business serial number (办件流水号) as business systems issue them. */
export const BusinessSerialSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/)
export type BusinessSerial = z.infer<typeof BusinessSerialSchema>

export const QrLookupSchema = z.object({
  summary: LicenceSummarySchema,
  verification: VerificationSchema,
})
export type QrLookup = z.infer<typeof QrLookupSchema>
