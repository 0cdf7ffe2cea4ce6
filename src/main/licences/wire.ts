/**
 * The sharing service's wire format (GB/T 36906 as public clients use it). The client checks every
 * response against these schemas; the sandbox library produces them.
 */
import { z } from 'zod'
import { MatterCatalogueSchema } from '../../shared/domain'

export const WireFaceFieldSchema = z.object({
  name: z.string().max(64),
  value: z.string().max(2000),
})

export const WireLicenceSchema = z.object({
  licenseIdentifier: z.string().max(128),
  licenseTypeCode: z.string().max(32),
  licenseTypeName: z.string().max(100),
  licenseNumber: z.string().max(100),
  holderName: z.string().max(200),
  holderIdentityType: z.string().max(8),
  holderIdentityNum: z.string().max(64),
  issueOrgName: z.string().max(200),
  issueOrgCode: z.string().max(32),
  issueDate: z.string().max(32),
  validBegin: z.string().max(32),
  /** `YYYY-MM-DD` or `长期`. */
  validEnd: z.string().max(32),
  licenseStatus: z.string().max(32),
  regionCode: z.string().max(12).optional(),
  /** 照面信息: the type-specific face fields. */
  surfaceData: z.array(WireFaceFieldSchema).max(100).optional(),
})
export type WireLicence = z.infer<typeof WireLicenceSchema>

const WireOperatorSchema = z.object({
  name: z.string().max(64),
  code: z.string().max(64),
  role: z.string().max(32),
})
export type WireOperator = z.infer<typeof WireOperatorSchema>

/** What every request that touches a holder's data carries, for the library's own log. */
const WireUseSchema = z.object({
  useReason: z.string().min(1).max(200),
  serviceItemCode: z.string().min(1).max(64),
  businessSerialNo: z.string().max(64).optional(),
  operator: WireOperatorSchema,
  terminalId: z.string().max(32),
})
export type WireUse = z.infer<typeof WireUseSchema>

export const WireQuerySchema = WireUseSchema.extend({
  holderCode: z.string().min(1).max(64),
  holderIdentityType: z.string().min(1).max(8),
  licenseTypeCodes: z.array(z.string().max(32)).min(1).max(50),
})
export type WireQuery = z.infer<typeof WireQuerySchema>

export const WireListResponseSchema = z.object({
  code: z.literal('0'),
  message: z.string().optional(),
  data: z.object({ total: z.number().int().min(0), list: z.array(WireLicenceSchema).max(1000) }),
})

export const WireVerifyInfoSchema = z.object({
  licenseIdentifier: z.string().max(128),
  holderIdentityNum: z.string().max(64).optional(),
  licenseNumber: z.string().max(100).optional(),
})

export const WireVerifyInfoResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({
    exists: z.boolean(),
    consistent: z.boolean(),
    licenseStatus: z.string().max(32).optional(),
  }),
})

export const WireFileFormatSchema = z.enum(['ofd', 'png', 'jpeg'])
export type WireFileFormat = z.infer<typeof WireFileFormatSchema>

export const WireFileRequestSchema = WireUseSchema.extend({
  licenseIdentifier: z.string().min(1).max(128),
  /** `ofd`: the annotated copy (加注件); `png`: an image of the licence face. */
  format: z.enum(['ofd', 'png']),
})
export type WireFileRequest = z.infer<typeof WireFileRequestSchema>

export const WireAnnotationSchema = z.object({
  madeAt: z.string().max(40),
  maker: z.string().max(200),
  reason: z.string().max(200),
  expiresAt: z.string().max(40),
})

export const WireFileResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({
    licenseIdentifier: z.string().max(128),
    format: WireFileFormatSchema,
    fileName: z.string().max(200),
    fileSize: z.number().int().min(1),
    /** SM3 of the file, hex; the client refuses a file that does not match it. */
    sm3: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional(),
    content: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
    annotation: WireAnnotationSchema.optional(),
  }),
})

export const WireVerifyFileSchema = z.object({
  licenseIdentifier: z.string().min(1).max(128),
  fileSm3: z.string().regex(/^[0-9a-f]{64}$/),
  fileSize: z.number().int().min(1),
})

export const WireVerifyFileResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({ consistent: z.boolean(), licenseStatus: z.string().max(32).optional() }),
})

export const WireByQrSchema = WireUseSchema.extend({
  qrContent: z.string().min(1).max(2048),
})

export const WireByQrResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({ licence: WireLicenceSchema }),
})

export const WireCatalogueResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({ catalogue: MatterCatalogueSchema }),
})

export const WireQrSamplesResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({
    samples: z
      .array(z.object({ label: z.string().max(200), content: z.string().max(2048) }))
      .max(100),
  }),
})

export const WireErrorSchema = z.object({
  code: z.string().max(64),
  message: z.string().max(500).optional(),
})

/** Error codes a library sends for a QR look-up, and what they mean to the clerk. */
export const QR_ERROR_CODES = {
  QR_INVALID: 'LICENCE_QR_INVALID',
  QR_EXPIRED: 'LICENCE_QR_EXPIRED',
  QR_NOT_FOUND: 'LICENCE_QR_NOT_FOUND',
} as const

export const SHARE_PATHS = {
  ping: '/share/v1/ping',
  query: '/share/v1/licences/query',
  verifyInfo: '/share/v1/licences/verify-info',
  file: '/share/v1/licences/file',
  verifyFile: '/share/v1/licences/verify-file',
  byQr: '/share/v1/licences/by-qr',
  catalogue: '/share/v1/catalogue',
  /** The sandbox only: QR codes its practice holders would show. */
  qrSamples: '/sandbox/v1/qr-samples',
} as const
