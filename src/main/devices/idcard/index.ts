/** The resident ID card reader (GA 467 SAM protocol): frames, commands, parsers, session. */
export { idCardDriver, type IdCardDriverOptions } from './driver'
export {
  BAUD_RATES,
  Commands,
  encodeCommand,
  setBaudCommand,
  setRfBytesCommand,
  Sw3,
  type BaudRate,
  type SamCommand,
} from './commands'
export {
  hidConnector,
  memoryConnector,
  serialConnector,
  type Connector,
  type HidConnectorOptions,
  type ReaderConnection,
  type SerialConnectorOptions,
} from './connectors'
export { COUNTRIES, countryName } from './countries'
export {
  decodeReadResponseFrame,
  describeCard,
  idNumberCheckOk,
  type CardDescription,
} from './describe'
export {
  connectSerialReader,
  probeSam,
  type SerialConnection,
  type SerialConnectOptions,
} from './detect'
export {
  encodeRequest,
  encodeResponse,
  FrameDecoder,
  MAX_BODY_LENGTH,
  MAX_IMAGE_BODY_LENGTH,
  parseRequestFrame,
  parseResponseFrame,
  PREAMBLE,
  type DecodeEvent,
  type SamRequest,
  type SamResponse,
} from './frame'
export { NATIONS, nationName } from './nations'
export {
  createWltDecoder,
  encodeBmp,
  imageDataUrl,
  normaliseDecodedPhoto,
  PHOTO_HEIGHT,
  PHOTO_WIDTH,
  photoForScreen,
  photoFormat,
  RAW_PHOTO_LENGTH,
  readBmpInfo,
  WLT_LENGTH,
  type PhotoForScreen,
  type PhotoFormat,
  type WltDecoder,
  type WltDecoderConfig,
} from './photo'
export {
  MISSES_FOR_REMOVAL,
  startPolling,
  type AfterRead,
  type PollerEvents,
  type PollerOptions,
  type ReaderState,
} from './poller'
export {
  APPENDED_ADDRESS_LENGTH,
  parseAppendedAddress,
  parseTextPhoto,
  parseTextPhotoFingerprint,
  type CardReadData,
} from './read-response'
export { readOneCard, type ReadOnceOptions, type ReadOnceResult } from './read-once'
export { formatSamId, SamReader, type IdCardRead, type ReadOptions } from './reader'
export { recordingTransport, transcriptHeader, type ReaderRecording } from './record'
export { redactExchange } from './redact'
export { createSamTransport, type SamTransport, type SamTransportOptions } from './sam-transport'
export { SW3_ERRORS, sw3Error } from './sw3'
export {
  FLAG_OFFSET,
  parseIdCardText,
  TEXT_LAYOUTS,
  TEXT_LENGTH,
  TYPE_FLAGS,
  type IdCardText,
} from './text'
