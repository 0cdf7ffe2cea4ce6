/**
 * Issuing licences at the window: the licence types the catalogue allows for the identified
 * holder, the prefilled form, the preview of the exact OFD, signing, and status changes.
 */
import { z } from 'zod'
import {
  BulkBatchViewSchema,
  BulkDetailSchema,
  BulkFileSchema,
  BulkImportResultSchema,
  FaceValuesSchema,
  FieldIssueSchema,
  IssuanceDraftSchema,
  IssuancePreviewSchema,
  IssuanceRequestSchema,
  IssuedLicenceViewSchema,
  LicenceTemplateViewSchema,
  SignerChoiceSchema,
  SignerOptionSchema,
  StatusChangeRequestSchema,
} from '../domain'
import { none, type EventTable, type MethodTable } from './table'

const TypeCodeSchema = z.string().regex(/^[0-9A-Z]{21}$/)
const IdentifierSchema = z.string().min(1).max(128)
const BatchNoSchema = z.string().regex(/^B\d{8}-[0-9A-F]{8}$/)

export const issuanceMethods = {
  /** The catalogue's licence types, each marked allowed or not for the current holder. */
  'issuance.types': { args: none, result: z.array(LicenceTemplateViewSchema) },
  /** The form for a type, prefilled from the identified holder (their number masked). */
  'issuance.draft': { args: z.tuple([TypeCodeSchema]), result: IssuanceDraftSchema },
  /** The catalogue's rules on the values as they stand. */
  'issuance.validate': {
    args: z.tuple([TypeCodeSchema, FaceValuesSchema]),
    result: z.array(FieldIssueSchema),
  },
  /** The seal keys that can sign now. */
  'issuance.signers': { args: none, result: z.array(SignerOptionSchema) },
  /** Reserves the identifier and composes the OFD exactly as it will be signed. */
  'issuance.preview': { args: z.tuple([IssuanceRequestSchema]), result: IssuancePreviewSchema },
  /** Signs the previewed OFD and issues the licence: queued for the library in one transaction. */
  'issuance.sign': {
    args: z.tuple([z.string().uuid(), SignerChoiceSchema]),
    result: IssuedLicenceViewSchema,
  },
  /** Licences issued on this terminal, newest first. */
  'issuance.issued': {
    args: z.tuple([z.number().int().min(1).max(500).optional()]),
    result: z.array(IssuedLicenceViewSchema),
  },
  /** 延续, 注销, 吊销, 废止, 挂起, 质押 and back, with a reason; queued like an issuance. */
  'issuance.changeStatus': {
    args: z.tuple([IdentifierSchema, StatusChangeRequestSchema]),
    result: IssuedLicenceViewSchema,
  },
  /**
   * Bulk issuance (supervisors): reads a CSV list for one type and checks every row; a list
   * without problems is stored as a batch, its next licence rendered as it will be signed.
   */
  'issuance.bulkImport': {
    args: z.tuple([TypeCodeSchema, BulkFileSchema]),
    result: BulkImportResultSchema,
  },
  /** A stored batch: its rows (numbers masked) and the next licence rendered. */
  'issuance.bulkDetail': { args: z.tuple([BatchNoSchema]), result: BulkDetailSchema },
  /** Starts or resumes signing a batch; progress comes as `issuance.bulkProgress`. */
  'issuance.bulkRun': {
    args: z.tuple([BatchNoSchema, SignerChoiceSchema]),
    result: BulkBatchViewSchema,
  },
  /** Stops a running batch after the licence in hand (resumable). */
  'issuance.bulkCancel': { args: z.tuple([BatchNoSchema]), result: BulkBatchViewSchema },
  /** Ends a batch that is not running; rows not issued are given up. */
  'issuance.bulkClose': { args: z.tuple([BatchNoSchema]), result: BulkBatchViewSchema },
  /** The batches of this terminal, newest first. */
  'issuance.bulkBatches': {
    args: z.tuple([z.number().int().min(1).max(200).optional()]),
    result: z.array(BulkBatchViewSchema),
  },
} as const satisfies MethodTable

export const issuanceEvents = {
  /** A batch moved on (a licence issued) or changed state: `done` of `total`. */
  'issuance.bulkProgress': BulkBatchViewSchema,
} as const satisfies EventTable
