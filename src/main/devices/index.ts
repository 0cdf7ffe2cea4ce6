/** Devices: transports, protocols and the manager that turns them into one event stream. */
export * from './cakey'
export { idCardDriver, type IdCardDriverOptions, type IdCardRead } from './idcard'
export {
  DeviceManager,
  type DeviceDriver,
  type DeviceReporter,
  type ManagerEvents,
} from './manager'
export { createMemoryLink, type ByteStream } from './transports'
