/**
 * The training panel's levers for the simulated passport reader: the documents on offer, laying
 * one on the reader (optionally as a slow chip or one without extended length), lifting it.
 */
import type { TrainingDocument } from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import { EmrtdChip } from './chip'
import {
  chipImage,
  emrtdTrainingPki,
  printedMrzFor,
  trainingDocument,
  TRAINING_DOCUMENTS,
} from './documents'
import { SimulatedReader, type LatencyModel } from './reader'

/** A chip at 424 kbit/s with a few milliseconds per APDU: what a good desktop reader feels like. */
export const NORMAL_CHIP: LatencyModel = { apduMs: 4, bitRate: 424_000, mode: 'sleep' }
/** An old chip at 106 kbit/s that thinks 120 ms per command: reading takes several seconds. */
export const SLOW_CHIP: LatencyModel = { apduMs: 120, bitRate: 106_000, mode: 'sleep' }

export interface EmrtdTrainingSim {
  readonly reader: SimulatedReader
  documents(): TrainingDocument[]
  place(id: string, options: { slow?: boolean; noExtendedLength?: boolean }): Promise<void>
  remove(): Promise<void>
  readonly cscaCertificate: Uint8Array
}

export function createEmrtdTrainingSim(liftMs = 300): EmrtdTrainingSim {
  const reader = new SimulatedReader(NORMAL_CHIP)
  return {
    reader,
    cscaCertificate: emrtdTrainingPki().csca.certificate,
    documents: () =>
      TRAINING_DOCUMENTS.map((d) => ({
        id: d.id,
        label: d.label,
        documentType: d.kind === 'passport' ? 'passport' : d.kind,
        printedMrz: printedMrzFor(d),
        can: d.can,
      })),
    async place(id, options) {
      const spec = trainingDocument(id)
      if (!spec) throw new CounterError('EMRTD_UNKNOWN_TRAINING_DOCUMENT', { params: { id } })
      const image = await chipImage(spec)
      if (reader.current) {
        reader.remove()
        await new Promise((r) => setTimeout(r, liftMs))
      }
      reader.setLatency(options.slow ? SLOW_CHIP : NORMAL_CHIP)
      reader.place(new EmrtdChip(image, { noExtendedLength: options.noExtendedLength ?? false }))
    },
    async remove() {
      reader.remove()
    },
  }
}
