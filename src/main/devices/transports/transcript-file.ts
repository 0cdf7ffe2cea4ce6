/**
 * A transcript written to a file as it happens, for captures from a real device. Writing is
 * buffered and never blocks the device loop; a file that cannot be written stops the recording
 * (reported once), never the device.
 */
import { createWriteStream } from 'node:fs'

export interface TranscriptSink {
  line(text: string): void
  /** Flushes and closes the file. */
  close(): Promise<void>
}

export interface TranscriptFileOptions {
  /** `append` keeps what earlier runs recorded (a reader configured to record); default: replace. */
  readonly append?: boolean
  /** Comment lines written first (without the leading `#`). */
  readonly header?: readonly string[]
  /** Called once when the file cannot be opened or written; the recording stops there. */
  onError?(error: Error): void
}

export function openTranscriptFile(
  path: string,
  options: TranscriptFileOptions = {},
): TranscriptSink {
  const out = createWriteStream(path, { flags: options.append ? 'a' : 'w', encoding: 'utf8' })
  let failed = false
  out.on('error', (error) => {
    if (failed) return
    failed = true
    options.onError?.(error)
  })
  const sink: TranscriptSink = {
    line(text) {
      if (!failed && !out.writableEnded) out.write(text + '\n')
    },
    close() {
      return new Promise<void>((resolve) => {
        if (out.destroyed || out.writableEnded) return resolve()
        out.end(() => resolve())
        // end()'s callback does not run when the stream fails instead of finishing.
        out.once('error', () => resolve())
      })
    },
  }
  for (const text of options.header ?? []) sink.line(`# ${text}`)
  return sink
}
