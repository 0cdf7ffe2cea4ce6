import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { DrawListBuilder, pagesToPdf } from '../../../../src/main/archive'
import type { RenderPage, TextOp } from '../../../../src/shared/domain'
import { archiveFonts } from './fixtures'

function textPage(text: string): { page: RenderPage; op: TextOp } {
  const b = new DrawListBuilder(archiveFonts(), 'x')
  const { op } = b.text(text, 10, 20, { size: 6 })
  return {
    op,
    page: {
      index: 0,
      width: 100,
      height: 50,
      ops: [op],
      glyphs: b.glyphs,
      images: {},
      fonts: b.fonts,
      warnings: [],
    },
  }
}

const info = { title: '测试', author: '测试', creationDate: new Date('2026-05-20T06:32:05Z') }

describe('pdfkit painter', () => {
  it('draws text as real text in an embedded subset when it has the very face', async () => {
    const { page } = textPage('电子证照存档')
    const { bytes, stats } = await pagesToPdf([page], archiveFonts(), info)
    expect(stats).toEqual({ textGlyphs: 6, outlineGlyphs: 0, unsearchable: 0 })
    const text = bytes.toString('latin1')
    expect(text.startsWith('%PDF-1.7')).toBe(true)
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true)
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+CounterDeskHei-Regular/)
    expect(text).toContain('/FontFile3')
    expect(text).toContain('/ToUnicode')
    expect(text).not.toContain('/Helvetica')
  })

  it('draws a face it does not have from the outlines, with invisible text over them', async () => {
    const { page, op } = textPage('持证人')
    const foreign: RenderPage = {
      ...page,
      fonts: Object.fromEntries(
        Object.entries(page.fonts).map(([k, v]) => [
          k,
          { ...v, face: 'Someone Else Song', source: 'embedded' as const },
        ]),
      ),
    }
    expect((await pagesToPdf([foreign], archiveFonts(), info)).stats).toEqual({
      textGlyphs: 0,
      outlineGlyphs: 3,
      unsearchable: 0,
    })
    // Same face name but another outline (a different version of the font): outlines win.
    const changed: RenderPage = {
      ...page,
      glyphs: { ...page.glyphs, [op.glyphs[1]!.g!]: 'M0 0L500 0L500 -500Z' },
    }
    expect((await pagesToPdf([changed], archiveFonts(), info)).stats).toEqual({
      textGlyphs: 2,
      outlineGlyphs: 1,
      unsearchable: 0,
    })
    // A character no font knows still shows its outline; only the text layer misses it.
    const privateUse: RenderPage = {
      ...page,
      ops: [{ ...op, text: '\u{F0000}', glyphs: [{ ...op.glyphs[0]!, c: '\u{F0000}' }] }],
    }
    expect((await pagesToPdf([privateUse], archiveFonts(), info)).stats).toEqual({
      textGlyphs: 0,
      outlineGlyphs: 1,
      unsearchable: 1,
    })
  })

  it('writes a transparent picture once per document, with its soft mask', async () => {
    const png = new PNG({ width: 2, height: 2 })
    png.data.set([255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 255, 128, 0, 0, 255, 255])
    const data = PNG.sync.write(png).toString('base64')
    const page = (index: number): RenderPage => ({
      index,
      width: 50,
      height: 50,
      ops: [
        { kind: 'image', image: 'seal', transform: [20, 0, 0, 20, 5, 5] },
        { kind: 'image', image: 'seal', transform: [20, 0, 0, 20, 25, 25], alpha: 0.5 },
      ],
      glyphs: {},
      images: { seal: { mime: 'image/png', data, width: 2, height: 2 } },
      fonts: {},
      warnings: [],
    })
    const { bytes } = await pagesToPdf([page(0), page(1)], archiveFonts(), info)
    const text = bytes.toString('latin1')
    expect(text.match(/\/Subtype \/Image/g)).toHaveLength(2)
    expect(text.match(/\/SMask \d+ 0 R/g)).toHaveLength(1)
    expect(text).toMatch(/\/ca 0\.5/)
  })
})
