/**
 * The photo as the screen gets it: an image it can show, or a clear state saying why there is
 * none. Never bytes a browser would draw as a broken image.
 */
import { CounterError } from '../../../../shared/errors'
import { readBmpInfo } from './bmp'
import type { WltDecoder } from './decoder'
import { imageDataUrl, type PhotoFormat } from './format'

export type PhotoForScreen =
  | { readonly state: 'decoded'; readonly dataUrl: string }
  | { readonly state: 'no-decoder' }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'none' }

const failed = (error: unknown): PhotoForScreen => ({
  state: 'failed',
  reason: error instanceof CounterError ? error.message : new CounterError('INTERNAL').message,
})

export async function photoForScreen(
  photo: Uint8Array,
  format: PhotoFormat,
  decoder: WltDecoder | undefined,
): Promise<PhotoForScreen> {
  if (photo.length === 0) return { state: 'none' }
  try {
    switch (format) {
      case 'wlt':
        if (!decoder) return { state: 'no-decoder' }
        return { state: 'decoded', dataUrl: imageDataUrl('bmp', await decoder.decode(photo)) }
      case 'bmp':
        readBmpInfo(photo)
        return { state: 'decoded', dataUrl: imageDataUrl('bmp', photo) }
      case 'jpeg':
      case 'png':
        // The browser decodes these; the panel falls back to the placeholder if it cannot.
        return { state: 'decoded', dataUrl: imageDataUrl(format, photo) }
      case 'unknown':
        throw new CounterError('IDCARD_PHOTO_INVALID', {
          params: { reason: `${photo.length} bytes` },
        })
    }
  } catch (error) {
    return failed(error)
  }
}
