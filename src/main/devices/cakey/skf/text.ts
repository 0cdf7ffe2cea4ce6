import { TextDecoder } from 'node:util'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const gb = new TextDecoder('gb18030', { fatal: true })

/** Names from vendor libraries: UTF-8 or GBK, whichever decodes; Latin-1 as a last resort. */
export function decodeLoose(bytes: Uint8Array): string {
  for (const d of [utf8, gb]) {
    try {
      return d.decode(bytes)
    } catch {
      // try the next
    }
  }
  return Buffer.from(bytes).toString('latin1')
}
