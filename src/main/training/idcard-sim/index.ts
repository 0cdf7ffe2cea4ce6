export { TRAINING_CARDS, trainingCard, type TrainingCard } from './cards'
export { trainingFace } from './faces'
export { startPtySimulator, type PtySimulator, type PtySimulatorOptions } from './pty'
export {
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
