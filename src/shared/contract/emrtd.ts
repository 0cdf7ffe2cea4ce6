/**
 * Passport and exit-entry permit chips: the key that opens the chip, the reading state, the
 * training levers for the simulated passport reader, the CSCA trust store, and the real-name /
 * real-person checks of the exit-entry document identity authentication platform.
 */
import { z } from 'zod'
import {
  AccessKeyInputSchema,
  CscaEntrySchema,
  EmrtdStateSchema,
  MrzCheckSchema,
  RealNameResultSchema,
  RealPersonResultSchema,
  TrainingDocumentSchema,
} from '../domain'
import { none, type EventTable, type MethodTable } from './table'

/** A JPEG from the counter camera, base64; 2 MB is far above what a 640×480 frame needs. */
const PhotoSchema = z.string().min(100).max(2_800_000)

export const emrtdMethods = {
  /** The contactless reader's state: waiting for a key, reading (with progress), done, failed. */
  'emrtd.state': { args: none, result: EmrtdStateSchema },
  /** The key for the chip on the reader (or the next one): MRZ lines, the three fields, or the CAN. */
  'emrtd.setKey': { args: z.tuple([AccessKeyInputSchema]), result: EmrtdStateSchema },
  'emrtd.clearKey': { args: none, result: EmrtdStateSchema },
  /** Check digits of a typed or pasted MRZ, field by field, as the clerk types. */
  'emrtd.checkMrz': {
    args: z.tuple([z.array(z.string().max(96)).min(1).max(3)]),
    result: MrzCheckSchema,
  },
  /** Reads the chip on the reader again with the current key. */
  'emrtd.retry': { args: none, result: EmrtdStateSchema },

  /** Training mode: the simulated documents and the simulated passport reader's levers. */
  'emrtd.trainingDocuments': { args: none, result: z.array(TrainingDocumentSchema) },
  'emrtd.trainingPlace': {
    args: z.tuple([
      z.string().min(1).max(64),
      z.object({ slow: z.boolean().optional(), noExtendedLength: z.boolean().optional() }).strict(),
    ]),
    result: z.null(),
  },
  'emrtd.trainingRemove': { args: none, result: z.null() },

  /** The CSCA trust store: what is imported, and importing an ICAO master list or PEM/DER file. */
  'emrtd.cscaList': { args: none, result: z.array(CscaEntrySchema) },
  'emrtd.cscaImport': {
    args: z.tuple([
      z.object({ name: z.string().max(256), base64: z.string().max(40_000_000) }).strict(),
    ]),
    result: z.object({ imported: z.number(), skipped: z.number() }),
  },

  /** Real-name check of the current chip holder: name, document number, birth date. */
  'realname.checkName': { args: none, result: RealNameResultSchema },
  /** Real-person check: a live photo of the applicant against the current chip holder's document. */
  'realname.checkPerson': { args: z.tuple([PhotoSchema]), result: RealPersonResultSchema },
} as const satisfies MethodTable

export const emrtdEvents = {
  /** The contactless reader and the chip being read. */
  emrtd: EmrtdStateSchema,
} as const satisfies EventTable
