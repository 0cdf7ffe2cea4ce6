export { TRAINING_CARDS, trainingCard, type TrainingCard } from './cards'
export { trainingFace } from './faces'
export { openLineSpeedProbe, type LineSpeedProbe } from './line-speed'
export { startPtySimulator, type PtySimulator, type PtySimulatorOptions } from './pty'
export {
  DEFAULT_PROFILE,
  NO_RF_DELAY,
  SamSimulator,
  syntheticWlt,
  type FaultCount,
  type RfDelays,
  type SimFaults,
  type SimOptions,
  type SimProfile,
  type SimStats,
} from './sam-simulator'
export { encodeIdCardText } from './text-encoder'
