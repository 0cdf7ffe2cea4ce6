/**
 * Synthetic portraits for the training documents: drawn, not photographed, so no real person's
 * face ships with the app. Encoded as JPEG or JPEG 2000 like real DG2 images.
 */
import { encodeJpeg, encodeJpeg2000, type RgbImage } from '../../devices/emrtd'

export interface FaceLook {
  readonly skin: readonly [number, number, number]
  readonly hair: readonly [number, number, number]
  readonly clothes: readonly [number, number, number]
  readonly longHair: boolean
}

export function drawFace(look: FaceLook, width = 240, height = 320): RgbImage {
  const rgba = new Uint8Array(width * height * 4)
  const cx = width / 2
  const headY = height * 0.4
  const rx = width * 0.22
  const ry = height * 0.2
  const put = (x: number, y: number, c: readonly [number, number, number]) => {
    const i = (y * width + x) * 4
    rgba[i] = c[0]
    rgba[i + 1] = c[1]
    rgba[i + 2] = c[2]
    rgba[i + 3] = 255
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Pale background, slightly graded like a studio backdrop.
      const shade = 232 - Math.round((y / height) * 18)
      let c: readonly [number, number, number] = [shade - 6, shade, shade + 8]
      const dx = (x - cx) / rx
      const dy = (y - headY) / ry
      const inHead = dx * dx + dy * dy <= 1
      const shoulders =
        y > height * 0.7 && Math.abs(x - cx) < width * (0.18 + ((y - height * 0.7) / height) * 1.4)
      const neck = y > headY + ry * 0.7 && y < height * 0.75 && Math.abs(x - cx) < rx * 0.45
      const hairTop =
        dx * dx + ((y - headY + ry * 0.25) / (ry * 1.05)) ** 2 <= 1.08 && y < headY - ry * 0.35
      const hairSide =
        look.longHair &&
        Math.abs(dx) > 0.78 &&
        Math.abs(dx) < 1.25 &&
        y > headY - ry * 0.5 &&
        y < headY + ry * 1.3
      if (shoulders) c = look.clothes
      if (neck) c = [look.skin[0] - 12, look.skin[1] - 12, look.skin[2] - 10]
      if (inHead) c = look.skin
      if (hairTop || hairSide) c = look.hair
      // Eyes, brows, nose and mouth.
      const eyeY = headY - ry * 0.05
      for (const ex of [cx - rx * 0.4, cx + rx * 0.4]) {
        if ((x - ex) ** 2 / 49 + (y - eyeY) ** 2 / 12 <= 1) c = [40, 32, 30]
        if (Math.abs(x - ex) < 11 && Math.abs(y - (eyeY - 13)) < 2) c = look.hair
      }
      if (Math.abs(x - cx) < 3 && y > eyeY + 6 && y < headY + ry * 0.3)
        c = [look.skin[0] - 25, look.skin[1] - 30, look.skin[2] - 30]
      if (Math.abs(x - cx) < rx * 0.35 && Math.abs(y - (headY + ry * 0.55)) < 2.5) c = [160, 70, 70]
      put(x, y, c)
    }
  }
  return { width, height, rgba }
}

export function faceJpeg(look: FaceLook): Uint8Array {
  return encodeJpeg(drawFace(look), 85)
}

export async function faceJpeg2000(look: FaceLook): Promise<Uint8Array> {
  return encodeJpeg2000(drawFace(look), 10)
}
