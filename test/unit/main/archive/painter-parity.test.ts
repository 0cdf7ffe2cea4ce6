/**
 * The archive's pdfkit painter against the OFD rasteriser: the same draw list, painted into a PDF
 * and rendered with poppler's pdftoppm, must look as the canvas painter draws it.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RenderPage } from '../../../../src/shared/domain'
import { pagesToPdf } from '../../../../src/main/archive'
import { openOfd, rasterisePage, renderPage } from '../../../../src/main/ofd'
import { comparePng, edge, fixture, fonts } from '../ofd/helpers'
import { archiveFonts } from './fixtures'

const DPI = 120
/**
 * Share of pixels off by more than half the range with no match a pixel away: poppler hints real
 * text and Skia fills outlines, so stems move by a pixel. The licences here match to 0.001%; a
 * missing seal is 0.2%.
 */
const TOLERANCE = 0.0005
const SLACK = 1
const dir = mkdtempSync(join(tmpdir(), 'ofd-pdf-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function pdfPng(page: RenderPage, name: string): Promise<Uint8Array> {
  const { bytes } = await pagesToPdf([page], archiveFonts(), { title: name, author: 'test' })
  const file = join(dir, `${name}.pdf`)
  writeFileSync(file, bytes)
  execFileSync('pdftoppm', ['-r', String(DPI), '-png', '-singlefile', file, join(dir, name)])
  return new Uint8Array(readFileSync(join(dir, `${name}.png`)))
}

describe('the archive painter draws what the screen shows', { timeout: 60_000 }, () => {
  it.each([
    ['licence', () => fixture('licence-v4.ofd')],
    ['clips', () => edge('clips')],
    ['rotated-ctm', () => edge('rotated-ctm')],
    ['resources', () => edge('resources')],
  ] as const)('%s: the PDF looks as the canvas painter draws it', async (name, bytes) => {
    const page = renderPage(await openOfd(bytes()), 0, { fonts: fonts() })
    const canvas = await rasterisePage(page, { dpi: DPI })
    expect(comparePng(await pdfPng(page, name), canvas, 128, SLACK).differing).toBeLessThan(
      TOLERANCE,
    )
  })

  it('would notice a missing seal (the comparison can fail)', async () => {
    const doc = await openOfd(fixture('licence-v4.ofd'))
    const canvas = await rasterisePage(renderPage(doc, 0, { fonts: fonts() }), { dpi: DPI })
    const noSeal = await pdfPng(renderPage(doc, 0, { fonts: fonts(), seals: false }), 'no-seal')
    expect(comparePng(noSeal, canvas, 128, SLACK).differing).toBeGreaterThan(TOLERANCE)
  })
})
