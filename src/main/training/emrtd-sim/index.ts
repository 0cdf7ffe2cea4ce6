/** The simulated passport / permit chip: documents, chip, in-process reader slot, vpcd card side. */
export { EmrtdChip, type ChipOptions } from './chip'
export {
  chipImage,
  mrzFor,
  printedMrzFor,
  documentDates,
  trainingDocument,
  emrtdTrainingPki,
  TRAINING_DOCUMENTS,
  type ChipImage,
  type DocumentFaults,
  type DocumentKind,
  type DocumentSpec,
  type EmrtdTrainingPki,
} from './documents'
export { drawFace, faceJpeg, faceJpeg2000 } from './faces'
export { pem } from './pki'
export { BITS_PER_BYTE, rfMs, SimulatedReader, type LatencyModel } from './reader'
export { VpcdCard, type VpcdCardOptions } from './vpcd'
export { createEmrtdTrainingSim, NORMAL_CHIP, SLOW_CHIP, type EmrtdTrainingSim } from './levers'
