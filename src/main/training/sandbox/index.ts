export { FAULT_KINDS, parseFault, type SandboxFault } from './faults'
export { encodePng, licenceFacePng, Raster } from './png'
export { makeQr, QR_BASE, resolveQr } from './qr'
export {
  HOLDERS,
  ISSUERS,
  LICENCE_TYPES,
  perfLicences,
  SEED_LICENCES,
  type SandboxHolder,
} from './seed'
export { startSandboxLibrary, type SandboxLibrary, type SandboxOptions } from './server'
