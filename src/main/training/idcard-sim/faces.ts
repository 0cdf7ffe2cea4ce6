/**
 * Training faces: a calm, clearly drawn (not photographic) portrait for each training card, so
 * that trainees practise comparing the photo with the person. 102 × 126, 24-bit BMP, the size a
 * decoded chip photo has. Deterministic per card: the same card always shows the same face.
 */
import { encodeBmp, PHOTO_HEIGHT, PHOTO_WIDTH } from '../../devices/idcard'

type Rgb = readonly [number, number, number]

const SKIN: readonly Rgb[] = [
  [238, 206, 179],
  [224, 187, 149],
  [205, 160, 120],
  [241, 214, 190],
]
const HAIR: readonly Rgb[] = [
  [28, 24, 22],
  [46, 36, 30],
  [70, 52, 38],
  [128, 96, 64],
]
const CLOTHES: readonly Rgb[] = [
  [38, 52, 84],
  [40, 40, 44],
  [92, 30, 40],
  [30, 70, 60],
]

function seeded(seed: string): () => number {
  let x = 2166136261
  for (const c of seed) x = Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
}

const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length)]!

const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
  ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1

export interface FaceOptions {
  readonly long?: boolean
}

/** A training face as a BMP file. */
export function trainingFace(seed: string, options: FaceOptions = {}): Uint8Array {
  const rand = seeded(seed)
  const skin = pick(SKIN, rand())
  const hair = pick(HAIR, rand())
  const clothes = pick(CLOTHES, rand())
  const faceW = 20 + rand() * 4
  const faceH = 26 + rand() * 3
  const cx = 51
  const cy = 52
  const eyeY = cy - 2 + rand() * 2
  const longHair = options.long ?? false
  const W = PHOTO_WIDTH
  const H = PHOTO_HEIGHT
  const pixels = new Uint8Array(W * H * 3)
  for (let row = 0; row < H; row++) {
    const y = H - 1 - row // BMP rows run bottom-up
    for (let x = 0; x < W; x++) {
      let c: Rgb = [250, 251, 252] // the white background ID photos have
      const shoulders = y > cy + faceH - 2 && Math.abs(x - cx) < 14 + (y - cy - faceH) * 1.6
      if (shoulders) c = clothes
      const neck = y > cy + faceH - 8 && y < cy + faceH + 6 && Math.abs(x - cx) < 9
      if (neck) c = skin
      // Long hair falls behind the head and down the sides, never across the chin.
      if (
        longHair &&
        inEllipse(x, y, cx, cy + 4, faceW + 7, faceH + 6) &&
        (y < cy || Math.abs(x - cx) > faceW - 4)
      )
        c = hair
      if (inEllipse(x, y, cx, cy - 6, faceW + 3, faceH - 4) && y < cy - 8) c = hair
      if (inEllipse(x, y, cx, cy, faceW, faceH) && !(y < cy - faceH * 0.55)) c = skin
      if (inEllipse(x, y, cx - 8, eyeY, 2.6, 1.6) || inEllipse(x, y, cx + 8, eyeY, 2.6, 1.6))
        c = [40, 34, 30]
      if (Math.abs(y - (eyeY - 5)) < 1 && (Math.abs(x - cx + 8) < 4 || Math.abs(x - cx - 8) < 4))
        c = hair
      if (Math.abs(y - (cy + faceH * 0.5)) < 1 && Math.abs(x - cx) < 6) c = [168, 92, 88]
      if (x >= cx - 1 && x <= cx && y > eyeY + 3 && y < cy + 8)
        c = [skin[0] - 30, skin[1] - 34, skin[2] - 30]
      const at = (row * W + x) * 3
      pixels[at] = c[2]
      pixels[at + 1] = c[1]
      pixels[at + 2] = c[0]
    }
  }
  return encodeBmp(W, H, pixels)
}
