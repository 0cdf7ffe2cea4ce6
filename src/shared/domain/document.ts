/**
 * Passports and exit-entry permits read from their chip: the holder as the screen shows them,
 * the chip verification results, the reading state and the training documents. The document
 * number never crosses the bridge in full (masked like ID numbers); the core keeps it for scoped
 * queries and the real-name check.
 */
import { z } from 'zod'

/** Passport (TD3), the CS/CD exit-entry permit card, the CR/CT travel permit, other ICAO cards. */
export const TravelDocumentTypeSchema = z.enum(['passport', 'cs', 'cd', 'cr', 'ct', 'td1', 'td2'])
export type TravelDocumentType = z.infer<typeof TravelDocumentTypeSchema>

export const CheckStateSchema = z.enum(['passed', 'failed', 'not-supported', 'not-checked'])

export const PassiveVerdictSchema = z.enum([
  'genuine',
  'unknown-csca',
  'altered',
  'signature-invalid',
  'chain-invalid',
  'ds-expired',
  'malformed',
])
export type PassiveVerdictView = z.infer<typeof PassiveVerdictSchema>

export const ChipVerificationSchema = z.object({
  accessControl: z.enum(['BAC', 'PACE']),
  passive: z.object({
    verdict: PassiveVerdictSchema,
    valid: z.boolean(),
    /** Data group number → its hash matches the security object. */
    dataGroups: z.record(z.string(), z.boolean()),
    algorithm: z.string().optional(),
    signerCountry: z.string().optional(),
    signerSubject: z.string().optional(),
    signerValidTo: z.string().optional(),
    reason: z.string().optional(),
  }),
  active: z.object({ state: CheckStateSchema, algorithm: z.string().optional() }),
  chipAuthentication: z.object({ state: CheckStateSchema, protocol: z.string().optional() }),
})
export type ChipVerification = z.infer<typeof ChipVerificationSchema>

export const FacePhotoSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('decoded'),
    dataUrl: z.string(),
    format: z.enum(['jpeg', 'jpeg2000']),
  }),
  z.object({ state: z.literal('failed'), reason: z.string() }),
  z.object({ state: z.literal('none') }),
])

export const EmrtdHolderSchema = z.object({
  source: z.literal('emrtd'),
  documentType: TravelDocumentTypeSchema,
  /** As printed in the MRZ: P, PO, CS, CR… */
  documentCode: z.string(),
  holderTypeCode: z.string(),
  /** The Chinese name when the chip carries one, else the MRZ name. */
  name: z.string(),
  latinName: z.string(),
  sex: z.enum(['male', 'female', 'unspecified']),
  nationality: z.string().optional(),
  issuingState: z.string().optional(),
  birthDate: z.string(),
  documentNumberMasked: z.string(),
  /** Check digits of the chip's MRZ, field by field. */
  mrzChecks: z.object({
    documentNumber: z.boolean(),
    birthDate: z.boolean(),
    expiryDate: z.boolean(),
    composite: z.boolean().optional(),
  }),
  validTo: z.string(),
  expired: z.boolean(),
  issuingAuthority: z.string().optional(),
  dateOfIssue: z.string().optional(),
  placeOfBirth: z.string().optional(),
  regionalIdMasked: z.string().optional(),
  photo: FacePhotoSchema,
  chip: ChipVerificationSchema,
  readAt: z.string(),
  readMs: z.number(),
})
export type EmrtdHolder = z.infer<typeof EmrtdHolderSchema>

/** What the clerk types to open a chip: the MRZ (pasted or typed), the three key fields, or the CAN. */
export const AccessKeyInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mrz'), lines: z.array(z.string().max(64)).min(1).max(3) }),
  z.object({
    kind: z.literal('fields'),
    documentType: TravelDocumentTypeSchema,
    documentNumber: z.string().min(1).max(20),
    birthDate: z.string().min(6).max(10),
    expiryDate: z.string().min(6).max(10),
  }),
  z.object({ kind: z.literal('can'), can: z.string().regex(/^\d{6}$/) }),
])
export type AccessKeyInput = z.infer<typeof AccessKeyInputSchema>

export const MrzCheckSchema = z.object({
  format: z.enum(['TD1', 'TD2', 'TD3', 'CS', 'CR']).optional(),
  documentType: TravelDocumentTypeSchema.optional(),
  valid: z.boolean(),
  /** Field → check digit right; absent fields were not present. */
  checks: z.record(z.string(), z.boolean()),
  documentNumberMasked: z.string().optional(),
  birthDate: z.string().optional(),
  expiryDate: z.string().optional(),
  /** Why the input is not an MRZ at all. */
  problem: z.string().optional(),
})
export type MrzCheck = z.infer<typeof MrzCheckSchema>

export const EmrtdPhaseSchema = z.enum(['idle', 'need-key', 'reading', 'done', 'failed'])

export const EmrtdStateSchema = z.object({
  phase: EmrtdPhaseSchema,
  /** A reader is connected (or the simulated one in training). */
  readerPresent: z.boolean(),
  readerLabel: z.string().optional(),
  chipPresent: z.boolean(),
  /** A key is waiting for the next chip. */
  keyReady: z.boolean(),
  progress: z
    .object({
      step: z.enum(['access', 'reading', 'authenticating', 'verifying']),
      file: z.string().optional(),
      fileIndex: z.number(),
      fileCount: z.number(),
      /** 0–1 over the whole read. */
      fraction: z.number(),
    })
    .optional(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string() }).optional(),
})
export type EmrtdState = z.infer<typeof EmrtdStateSchema>

export const TrainingDocumentSchema = z.object({
  id: z.string(),
  label: z.string(),
  documentType: TravelDocumentTypeSchema,
  /** The data page's MRZ, which the trainee reads off and types in. */
  printedMrz: z.array(z.string()),
  can: z.string().optional(),
})
export type TrainingDocument = z.infer<typeof TrainingDocumentSchema>

export const RealNameResultSchema = z.object({
  result: z.enum(['consistent', 'inconsistent']),
  checkedAt: z.string(),
  /** The platform's reference for the check, for the case file. */
  reference: z.string(),
})
export type RealNameResult = z.infer<typeof RealNameResultSchema>

export const RealPersonResultSchema = z.object({
  result: z.enum(['match', 'no-match', 'poor-quality']),
  /** The platform's similarity score, 0–100, when it gives one. */
  score: z.number().optional(),
  checkedAt: z.string(),
  reference: z.string(),
})
export type RealPersonResult = z.infer<typeof RealPersonResultSchema>

export const CscaEntrySchema = z.object({
  fingerprint: z.string(),
  country: z.string().optional(),
  subject: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  source: z.string(),
  importedAt: z.string(),
})
export type CscaEntry = z.infer<typeof CscaEntrySchema>
