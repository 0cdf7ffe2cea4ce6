/**
 * Pixels that decoding may still produce. What a decoder costs is what the image claims, not what
 * its bytes weigh (a few bytes of JBIG2 claim millions of pixels), so decoders take their pixels
 * from a budget before they decode them. One budget serves all the images of a page: many small
 * images that each claim the most one image may have would otherwise decode for hours.
 */
import { CounterError } from '../../../shared/errors'

export class PixelBudget {
  constructor(private left: number) {}

  /** Takes `pixels`, or refuses with OFD_LIMIT_EXCEEDED (naming `what`) when too few are left. */
  take(pixels: number, what: string): void {
    if (pixels > this.left) throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what } })
    this.left -= pixels
  }
}
