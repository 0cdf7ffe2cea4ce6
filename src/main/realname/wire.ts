/** The platform's request and response bodies, validated on both sides. */
import { z } from 'zod'
import { TravelDocumentTypeSchema } from '../../shared/domain'

export const REALNAME_PATHS = {
  name: '/v1/realname/verify',
  person: '/v1/realperson/verify',
} as const

const Base = z.object({
  requestId: z.string().min(8).max(64),
  unitCode: z.string().min(1).max(32),
  terminalId: z.string().min(1).max(32),
  documentType: TravelDocumentTypeSchema,
  documentNumber: z.string().min(1).max(20),
  name: z.string().min(1).max(100),
})

export const WireNameRequestSchema = Base.extend({
  birthDate: z.string().regex(/^\d{8}$/),
}).strict()
export type WireNameRequest = z.infer<typeof WireNameRequestSchema>

export const WirePersonRequestSchema = Base.extend({
  photo: z.string().min(100).max(2_800_000),
}).strict()
export type WirePersonRequest = z.infer<typeof WirePersonRequestSchema>

export const WireResponseSchema = z.object({
  code: z.string(),
  message: z.string().optional(),
  data: z
    .object({
      result: z.enum(['consistent', 'inconsistent', 'match', 'no-match', 'poor-quality']),
      score: z.number().min(0).max(100).optional(),
      reference: z.string().min(1).max(64),
    })
    .optional(),
})
export type WireResponse = z.infer<typeof WireResponseSchema>
