/**
 * Recording a reader: every exchange of a SAM transport written to a transcript, which replays
 * later through the same code (`replayTranscript` for the reader, `replayStream` for the whole
 * poll loop and driver). Personal data is masked unless the recording explicitly asks for it.
 */
import { recordExchanges, type TranscriptSink } from '../transports'
import { redactExchange } from './redact'
import type { SamTransport } from './sam-transport'

export interface ReaderRecording {
  readonly sink: Pick<TranscriptSink, 'line'>
  /** Keep the card's text, photo and fingerprints as read. Default: masked. */
  readonly personalData?: boolean
}

export function recordingTransport(
  transport: SamTransport,
  recording: ReaderRecording,
): SamTransport {
  return recordExchanges(
    transport,
    (line) => recording.sink.line(line),
    recording.personalData ? {} : { redact: redactExchange },
  )
}

/** The comment lines a reader transcript starts with: what it is and what it holds. */
export function transcriptHeader(what: string, personalData: boolean): string[] {
  return [
    `CounterDesk ${what}, started ${new Date().toISOString()}`,
    personalData
      ? 'personal data INCLUDED as read: handle this file as the holders’ personal data'
      : 'personal data masked: names, numbers, birth date, address, photo and fingerprints',
  ]
}
