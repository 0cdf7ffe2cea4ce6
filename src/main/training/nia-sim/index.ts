/** The simulated exit-entry document identity authentication platform (loopback HTTP). */
export {
  photoUsable,
  startNiaPlatform,
  type NiaPlatform,
  type NiaPlatformOptions,
  type RegisteredPerson,
} from './server'
export { trainingRegister } from './register'
