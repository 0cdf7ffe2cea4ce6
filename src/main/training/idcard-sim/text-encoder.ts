/** Writes a card's text block exactly as a chip holds it: UTF-16LE, space-padded, by layout. */
import {
  FLAG_OFFSET,
  TEXT_LAYOUTS,
  TEXT_LENGTH,
  TYPE_FLAGS,
  type IdCardText,
} from '../../devices/idcard'

function compactDate(iso: string): string {
  return iso === 'long-term' ? '长期' : iso.replaceAll('-', '')
}

export function encodeIdCardText(card: IdCardText): Uint8Array {
  const out = new Uint8Array(TEXT_LENGTH)
  for (let i = 0; i < TEXT_LENGTH; i += 2) out[i] = 0x20 // space, UTF-16LE
  const values: Record<string, string | undefined> = {
    ...card,
    sex: card.sexCode,
    nation: card.nationCode,
    birth: compactDate(card.birth),
    validFrom: compactDate(card.validFrom),
    validTo: compactDate(card.validTo),
  }
  const layout: Record<string, readonly [number, number]> = TEXT_LAYOUTS[card.type]
  for (const [name, [offset, length]] of Object.entries(layout)) {
    const value = values[name] ?? ''
    const bytes = Buffer.from(value, 'utf16le')
    if (bytes.length > length) throw new RangeError(`${name} does not fit in ${length} bytes`)
    out.set(bytes, offset)
  }
  if (card.type !== 'resident') out.set(Buffer.from(TYPE_FLAGS[card.type], 'utf16le'), FLAG_OFFSET)
  return out
}
