/** The licence's QR code as a PNG (2-D code per GB/T 36905), crisp black modules on white. */
import QRCode from 'qrcode'
import { encodePng } from '../images/images'

const PX_PER_MODULE = 8
const QUIET_MODULES = 2

export function qrPng(content: string): Uint8Array {
  const { modules } = QRCode.create(content, { errorCorrectionLevel: 'M' })
  const n = modules.size + QUIET_MODULES * 2
  const side = n * PX_PER_MODULE
  const rgba = new Uint8Array(side * side * 4).fill(255)
  for (let my = 0; my < modules.size; my++) {
    for (let mx = 0; mx < modules.size; mx++) {
      if (!modules.get(my, mx)) continue
      for (let py = 0; py < PX_PER_MODULE; py++) {
        const y = (my + QUIET_MODULES) * PX_PER_MODULE + py
        for (let px = 0; px < PX_PER_MODULE; px++) {
          const o = (y * side + (mx + QUIET_MODULES) * PX_PER_MODULE + px) * 4
          rgba[o] = rgba[o + 1] = rgba[o + 2] = 0
        }
      }
    }
  }
  return encodePng({ width: side, height: side, rgba })
}
