/**
 * Golden images: fixture pages rasterised and compared with reviewed PNGs within a tolerance
 * (anti-aliasing may differ a little between Skia builds). `UPDATE_GOLDEN=1` rewrites them —
 * look at every changed image before committing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openOfd, rasterisePage, renderPage } from '../../../../src/main/ofd'
import { comparePng, edge, fixture, FIXTURES, fonts } from './helpers'

const DPI = 60
/** Share of pixels allowed to differ by more than 48 levels in a channel: losing a seal is 0.7%. */
const TOLERANCE = 0.002
const GOLDEN = join(FIXTURES, 'golden')
const update = process.env.UPDATE_GOLDEN === '1'

const CASES: [string, () => Uint8Array, number][] = [
  ['rotated-ctm', () => edge('rotated-ctm'), 0],
  ['deltax', () => edge('deltax'), 0],
  ['clips', () => edge('clips'), 0],
  ['curves', () => edge('curves'), 0],
  ['templates-p1', () => edge('templates'), 0],
  ['templates-p2', () => edge('templates'), 1],
  ['resources', () => edge('resources'), 0],
  ['embedded-font', () => edge('embedded-font'), 0],
  ['jbig2', () => edge('jbig2'), 0],
  ['licence-v4-ofd-seal', () => fixture('licence-v4.ofd'), 0],
  ['business-png-seal', () => fixture('business-v4-png-seal.ofd'), 0],
  ['licence-v1-bmp-seal', () => fixture('licence-v1-bmp-seal.ofd'), 0],
  ['two-signatures', () => fixture('two-signatures.ofd'), 0],
]

describe('golden images', { timeout: 60_000 }, () => {
  it.each(CASES)('%s renders as reviewed', async (name, bytes, page) => {
    const doc = await openOfd(bytes())
    const png = await rasterisePage(renderPage(doc, page, { fonts: fonts() }), { dpi: DPI })
    const file = join(GOLDEN, `${name}.png`)
    if (update || !existsSync(file)) {
      mkdirSync(GOLDEN, { recursive: true })
      writeFileSync(file, png)
      if (!update) throw new Error(`no golden image for ${name}: wrote one, review and commit it`)
      return
    }
    const diff = comparePng(png, new Uint8Array(readFileSync(file)))
    expect(
      diff.differing,
      `${name}: ${(diff.differing * 100).toFixed(2)}% of pixels differ`,
    ).toBeLessThanOrEqual(TOLERANCE)
  })

  it('would notice a real change (the comparison can fail)', async () => {
    const doc = await openOfd(fixture('licence-v4.ofd'))
    const withoutSeal = await rasterisePage(renderPage(doc, 0, { fonts: fonts(), seals: false }), {
      dpi: DPI,
    })
    const diff = comparePng(
      withoutSeal,
      new Uint8Array(readFileSync(join(GOLDEN, 'licence-v4-ofd-seal.png'))),
    )
    expect(diff.differing).toBeGreaterThan(TOLERANCE)
  })
  it('leaves out a picture that will not decode, and still paints the rest of the page', async () => {
    const doc = await openOfd(fixture('licence-v4.ofd'))
    const page = renderPage(doc, 0, { fonts: fonts() })
    const broken = {
      ...page,
      images: Object.fromEntries(
        Object.entries(page.images).map(([k, img]) => [k, { ...img, data: 'bm90IGFuIGltYWdl' }]),
      ),
    }
    expect(Object.keys(broken.images).length).toBeGreaterThan(0)
    const withPictures = await rasterisePage(page, { dpi: DPI })
    const without = await rasterisePage(broken, { dpi: DPI })
    const text = await rasterisePage({ ...page, images: {}, ops: [] }, { dpi: DPI })
    // Not blank (the text and frame are there), and not the page with its pictures either.
    expect(comparePng(without, text).differing).toBeGreaterThan(TOLERANCE)
    expect(comparePng(without, withPictures).differing).toBeGreaterThan(0)
  })
})
