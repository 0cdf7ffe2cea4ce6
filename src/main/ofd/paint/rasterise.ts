/**
 * The rasteriser: paints a page's draw list to PNG with @napi-rs/canvas (Skia, as an N-API
 * module that loads in Node and in Electron's main process), for `cli ofd render`, tests and
 * thumbnails. Loaded on first use, so the rest of the domain never needs it.
 */
import type * as NapiCanvas from '@napi-rs/canvas'
import type { RenderPage } from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import { paintPage, type Canvas2D } from './canvas-painter'

export interface RasteriseOptions {
  /** Dots per inch (default 150). Ignored when `width` is given. */
  readonly dpi?: number
  /** Output width in pixels; the height follows the page's proportions. */
  readonly width?: number
  /** Page colour under the content (default white); `transparent` for none. */
  readonly background?: string
}

type CanvasModule = typeof NapiCanvas
let canvasModule: Promise<CanvasModule> | undefined

async function loadCanvas(): Promise<CanvasModule> {
  canvasModule ??= import('@napi-rs/canvas').catch((cause: unknown) => {
    canvasModule = undefined
    throw new CounterError('OFD_RASTER_UNAVAILABLE', { cause, detail: String(cause) })
  })
  return canvasModule
}

/** Largest raster a page may become: 16 megapixels (A4 at 400 dpi). */
const MAX_PIXELS = 16_000_000

export async function rasterisePage(
  page: RenderPage,
  options: RasteriseOptions = {},
): Promise<Uint8Array> {
  const { createCanvas, Path2D, loadImage } = await loadCanvas()
  let scale = options.width ? options.width / page.width : (options.dpi ?? 150) / 25.4
  let w = Math.max(1, Math.round(page.width * scale))
  let h = Math.max(1, Math.round(page.height * scale))
  if (w * h > MAX_PIXELS) {
    scale *= Math.sqrt(MAX_PIXELS / (w * h))
    w = Math.max(1, Math.floor(page.width * scale))
    h = Math.max(1, Math.floor(page.height * scale))
  }
  const canvas = createCanvas(w, h)
  const ctx = canvas.getContext('2d')
  if (options.background !== 'transparent') {
    ctx.fillStyle = options.background ?? '#ffffff'
    ctx.fillRect(0, 0, w, h)
  }
  type Image = Awaited<ReturnType<typeof loadImage>>
  const images = new Map<string, Image>()
  // Decoding may finish after `src` is set; waiting for each image keeps none from going missing.
  // A picture that will not decode is left out, as the screen's painters leave it out, rather
  // than costing the whole page.
  for (const [key, img] of Object.entries(page.images)) {
    const image = await loadImage(Buffer.from(img.data, 'base64')).catch(() => undefined)
    if (image) images.set(key, image)
  }
  paintPage(page, {
    ctx: ctx as unknown as Canvas2D<InstanceType<typeof Path2D>, Image>,
    path: (d) => new Path2D(d),
    images,
    scale,
  })
  return new Uint8Array(await canvas.encode('png'))
}
