/** Simulated CA keys for training mode and tests: a training CA and SKF keys in software. */
export {
  buildTrainingPki,
  TRAINEE_ID_NUMBER,
  TRAINING_CA_NAME,
  TRAINING_KEY_SPECS,
  trainingPki,
  type TrainingKey,
  type TrainingKeySpec,
  type TrainingPki,
} from './ca'
export { deterministicSm2Sign, rfc6979Nonces } from './deterministic-sm2'
export { SkfSimulator, type SimulatedKey } from './skf-simulator'
export { createTrainingCaKeys, TRAINING_PIN, type TrainingCaKeys } from './training-keys'
