/**
 * Simulated devices and the sandbox library. Training mode and the tests share them: each one
 * speaks the real protocol from the other side.
 */
export {
  createTrainingCaKeys,
  SkfSimulator,
  TRAINEE_ID_NUMBER,
  TRAINING_PIN,
  trainingPki,
  type SimulatedKey,
  type TrainingCaKeys,
  type TrainingKey,
} from './cakey-sim'
export {
  chipImage,
  createEmrtdTrainingSim,
  EmrtdChip,
  emrtdTrainingPki,
  SimulatedReader,
  TRAINING_DOCUMENTS,
  trainingDocument,
  VpcdCard,
  type EmrtdTrainingSim,
  type LatencyModel,
} from './emrtd-sim'
export { startNiaPlatform, trainingRegister, type NiaPlatform } from './nia-sim'
export {
  createTrainingControls,
  type TrainingControls,
  type TrainingControlsOptions,
} from './controls'
export {
  encodeIdCardText,
  SamSimulator,
  startPtySimulator,
  syntheticWlt,
  TRAINING_CARDS,
  trainingCard,
  trainingFace,
  type PtySimulator,
  type PtySimulatorOptions,
  type RfDelays,
  type SimFaults,
  type SimOptions,
  type SimProfile,
  type TrainingCard,
} from './idcard-sim'
export {
  parseFault,
  HOLDERS,
  LICENCE_TYPES,
  licenceFacePng,
  perfLicences,
  SEED_LICENCES,
  startSandboxLibrary,
  type SandboxFault,
  type SandboxHolder,
  type SandboxLibrary,
  type SandboxOptions,
} from './sandbox'
export {
  createLicenceFileSource,
  createTrainingSealKit,
  trainingKey,
  type LicenceFileSource,
  type LicenceFileSourceOptions,
  type TrainingSealKit,
} from './licence-files'
