export { createMemoryLink, Listeners, type ByteStream } from './byte-stream'
export {
  findHidDevices,
  nodeHidBackend,
  openHidStream,
  type HidBackend,
  type HidDeviceInfo,
  type HidHandle,
  type HidTarget,
} from './hid'
export {
  DEFAULT_HID_PROFILE,
  depacketise,
  inputReports,
  packetise,
  type HidProfile,
} from './hid-profile'
export { listSerialCandidates, openSerialStream, type SerialStream } from './serial'
export {
  parseTranscript,
  recordExchanges,
  replayStream,
  replayTranscript,
  toHex,
  type Exchanger,
  type RecordOptions,
  type Replayer,
  type ReplayStream,
  type TranscriptEntry,
} from './transcript'
export {
  openTranscriptFile,
  type TranscriptFileOptions,
  type TranscriptSink,
} from './transcript-file'
