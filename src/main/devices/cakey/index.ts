/** CA keys (UKey): SKF (GM/T 0016) and PKCS#11 libraries through koffi, one service over both. */
export { CaKeyService, type CaKeyEvent, type CaKeyListener } from './service'
export { loadPkcs11Module, Pkcs11Error, type Pkcs11Module } from './pkcs11/module'
export {
  Pkcs11Provider,
  pinStatusOf,
  pkcs11ToCounterError,
  type Pkcs11ProviderOptions,
} from './pkcs11/provider'
export { SkfError, type DevEvent, type PinInfo, type SkfApi, type SkfHandle } from './skf/api'
export {
  encodeEccPublicKeyBlob,
  encodeEccSignatureBlob,
  parseDevInfo,
  parseEccPublicKeyBlob,
  parseEccSignatureBlob,
  parseNameList,
  type DevInfo,
  type SkfName,
} from './skf/blobs'
export {
  DEFAULT_ALGORITHM_IDS,
  DEV_EVENT,
  PIN_TYPE,
  SAR,
  sarName,
  type SkfAlgorithmIds,
} from './skf/constants'
export { loadSkfLibrary, type KoffiSkfOptions } from './skf/koffi'
export { SkfProvider, skfToCounterError, type SkfProviderOptions } from './skf/provider'
export type {
  PinStatus,
  SignAlgorithm,
  SignRequest,
  TokenEvent,
  TokenInfo,
  TokenKey,
  TokenProvider,
  TokenSession,
} from './types'
