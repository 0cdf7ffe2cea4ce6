/**
 * Where a document's seals are stamped and what they look like: each signature's StampAnnot on a
 * page, with the seal picture from its signed value (PNG, JPEG, BMP, or an OFD of its own).
 */
import { isCounterError } from '../../../shared/errors'
import type { OfdDocument } from '../document'
import { sniffImage } from '../images/images'
import type { Box } from '../types'
import { parseSeal, parseSesSignature } from './ses'

export type SealPictureData =
  | { readonly kind: 'image'; readonly format: string; readonly bytes: Uint8Array }
  | { readonly kind: 'ofd'; readonly bytes: Uint8Array }
  | { readonly kind: 'unsupported'; readonly format: string }

export interface SealStamp {
  readonly signatureId: string
  readonly boundary: Box
  readonly clip?: Box
  readonly picture: SealPictureData
}

export function classifyPicture(type: string, data: Uint8Array): SealPictureData {
  const t = type.trim().toLowerCase()
  if (t === 'ofd' || (data[0] === 0x50 && data[1] === 0x4b)) return { kind: 'ofd', bytes: data }
  const sniffed = sniffImage(data)
  if (sniffed === 'png' || sniffed === 'jpeg' || sniffed === 'bmp')
    return { kind: 'image', format: sniffed, bytes: data }
  return { kind: 'unsupported', format: t || sniffed }
}

/** The seal stamps on one page, in signing order. Signatures that cannot be read are skipped. */
export function sealStamps(doc: OfdDocument, pageIndex: number): SealStamp[] {
  const pageId = doc.pageRefs[pageIndex]?.id
  if (pageId === undefined) return []
  const out: SealStamp[] = []
  for (const entry of doc.signatureEntries()) {
    let file
    try {
      file = doc.signatureFile(entry)
    } catch (error) {
      if (isCounterError(error) && error.code !== 'OFD_ZIP_UNSAFE') continue
      throw error
    }
    const stamps = file.stamps.filter((s) => s.pageRef === pageId)
    if (!stamps.length) continue
    let picture: SealPictureData = { kind: 'unsupported', format: '无法读取' }
    try {
      if (file.signedValue) {
        const sig = parseSesSignature(doc.pkg.read(file.signedValue))
        picture = classifyPicture(sig.seal.picture.type, sig.seal.picture.data)
      } else if (file.seal) {
        const seal = parseSeal(doc.pkg.read(file.seal))
        picture = classifyPicture(seal.picture.type, seal.picture.data)
      }
    } catch (error) {
      if (!isCounterError(error) || error.code === 'OFD_ZIP_UNSAFE') throw error
    }
    for (const s of stamps)
      out.push({
        signatureId: entry.id,
        boundary: s.boundary,
        ...(s.clip ? { clip: s.clip } : {}),
        picture,
      })
  }
  return out
}
