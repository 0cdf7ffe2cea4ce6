/**
 * The library's data-exchange interface for issuers (the HTTP counterpart of the front-end
 * processor): licences and status changes are posted in batches, each item carrying its row guid
 * so that the library can drop a repeat, and the published licence catalogue is read back.
 * No province publishes this shape; it mirrors the exchange table's columns so that both
 * targets carry the same data. The pusher writes it and the sandbox library reads it.
 */
import { z } from 'zod'

export const EXCHANGE_PATHS = {
  batch: '/exchange/v1/licences/batch',
  catalogue: '/exchange/v1/catalogue',
} as const

/** Up to this much JSON per request (a 60 KB OFD becomes 80 KB of base64). */
export const EXCHANGE_MAX_BODY = 24 * 1024 * 1024

const Text = (max: number) => z.string().max(max)

export const WireExchangeMetadataSchema = z
  .object({
    licenseName: Text(200),
    licenseTypeCode: Text(32),
    licenseTypeName: Text(200),
    licenseNumber: Text(200),
    licenseIdentifier: Text(128),
    issuerName: Text(200),
    issuerCode: Text(32),
    issueDate: Text(10),
    holderName: Text(200),
    holderCode: Text(64),
    holderCodeType: Text(8),
    holderCodeTypeName: Text(40),
    validFrom: Text(10),
    validTo: Text(10),
    signerName: Text(100).optional(),
    signTime: Text(40).optional(),
    sealName: Text(100).optional(),
    regionCode: Text(12),
    status: Text(16),
    statusReason: Text(500).optional(),
    faceData: z.record(z.string().max(40), z.string().max(2000)),
    issueMode: z.enum(['offline', 'bulk', 'online']),
    completedAt: Text(40),
    deadline: Text(40),
    terminalId: Text(32),
  })
  .strict()
export type WireExchangeMetadata = z.infer<typeof WireExchangeMetadataSchema>

export const WireExchangeItemSchema = z
  .object({
    rowGuid: z.string().uuid(),
    operation: z.enum(['I', 'U', 'D']),
    version: z.number().int().min(1),
    kind: z.enum(['issue', 'status']),
    action: z.string().max(20).optional(),
    metadata: WireExchangeMetadataSchema,
    file: z
      .object({
        format: z.literal('ofd'),
        sm3: z.string().regex(/^[0-9a-f]{64}$/),
        size: z.number().int().min(1),
        content: z.string(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type WireExchangeItem = z.infer<typeof WireExchangeItemSchema>

export const WireExchangeBatchSchema = z
  .object({
    batchNo: z.string().min(1).max(64),
    items: z.array(z.unknown()).min(1).max(1000),
  })
  .strict()

export const WireExchangeResultSchema = z.object({
  rowGuid: z.string(),
  result: z.enum(['accepted', 'duplicate', 'rejected']),
  reason: z.string().max(500).optional(),
})
export type WireExchangeResult = z.infer<typeof WireExchangeResultSchema>

export const WireExchangeResponseSchema = z.object({
  code: z.literal('0'),
  message: z.string().optional(),
  data: z.object({ results: z.array(WireExchangeResultSchema).max(1000) }),
})

export const WireCatalogueResponseSchema = z.object({
  code: z.literal('0'),
  data: z.object({ entries: z.array(z.unknown()).max(5000) }),
})
