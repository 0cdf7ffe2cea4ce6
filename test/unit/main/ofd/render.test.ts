import { describe, expect, it } from 'vitest'
import {
  RenderPageSchema,
  type DrawOp,
  type GroupOp,
  type PathOp,
  type TextOp,
} from '../../../../src/shared/domain'
import { isCounterError } from '../../../../src/shared/errors'
import { openOfd, renderPage, type RenderPage } from '../../../../src/main/ofd'
import { edge, fixture, fonts, minimalOfd } from './helpers'

const render = async (bytes: Uint8Array, page = 0) =>
  renderPage(await openOfd(bytes), page, { fonts: fonts() })

function flat(ops: readonly DrawOp[]): DrawOp[] {
  return ops.flatMap((op) => (op.kind === 'group' ? [op, ...flat(op.ops)] : [op]))
}
const texts = (p: RenderPage) => flat(p.ops).filter((o): o is TextOp => o.kind === 'text')
const paths = (p: RenderPage) => flat(p.ops).filter((o): o is PathOp => o.kind === 'path')
const groups = (p: RenderPage) => flat(p.ops).filter((o): o is GroupOp => o.kind === 'group')
const close = (a: readonly number[], b: readonly number[]) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 3))

describe('rendering a page to the draw list', { timeout: 60_000 }, () => {
  it('places objects by Boundary then CTM', async () => {
    const page = await render(edge('rotated-ctm'))
    expect(page).toMatchObject({ index: 0, width: 120, height: 90 })
    const [bar, skew] = paths(page)
    close(bar!.transform, [0.866, 0.5, -0.5, 0.866, 60, 20])
    expect(bar!.fill).toEqual([30, 90, 200, 1])
    expect(bar!.stroke).toBeUndefined()
    close(skew!.transform, [1, 0, 0.4, 1, 20, 55])
    const image = flat(page.ops).find((o) => o.kind === 'image')!
    close(image.kind === 'image' ? image.transform : [], [28.19, -10.26, 10.26, 28.19, 55, 50])
    const [rotated] = texts(page)
    close(rotated!.transform, [0, 1, -1, 0, 15, 10])
    expect(rotated!.glyphs.map((g) => g.x)).toEqual([0, 7, 14, 21])
  })

  it('spaces characters by DeltaX and DeltaY, g repeats included', async () => {
    const page = await render(edge('deltax'))
    const [repeat, stairs, narrow, vertical, italic] = texts(page)
    expect(repeat!.text).toBe('重复间距测试ABC')
    expect(repeat!.glyphs.slice(0, 7).map((g) => g.x)).toEqual([0, 6, 12, 18, 24, 27, 30])
    // Past the deltas, characters advance by their width: "A" then "B" in the Song face at 5 mm.
    expect(repeat!.glyphs[7]!.x).toBeGreaterThan(32)
    expect(stairs!.glyphs.map((g) => [g.x, g.y])).toEqual([
      [0, 5],
      [5, 7.5],
      [12, 10],
      [19, 12.5],
      [26, 15],
    ])
    expect(narrow!.glyphTransform).toEqual([0.7, 0, 0, 1])
    // The second TextCode has no X: it starts where the first ended (three glyph advances × 0.7).
    expect(narrow!.glyphs[3]!.x).toBeCloseTo(3 * 6 * 0.7, 1)
    expect(vertical!.glyphs.map((g) => [g.x, g.y])).toEqual([
      [0, 5],
      [0, 10],
    ])
    expect(vertical!.stroke?.width).toBeCloseTo(0.15) // synthetic bold: Weight 800
    expect(italic!.glyphTransform).toEqual([1, 0, -0.2, 1])
    expect(italic!.glyphs).toHaveLength(7)
    expect(italic!.glyphs.map((g) => g.x)).toEqual([0, 5.5, 11, 16.5, 22, 27.5, 33])
  })

  it('gives every drawn glyph an outline, and spaces none', async () => {
    const page = await render(
      minimalOfd(
        '<ofd:TextObject ID="4" Boundary="0 0 50 10" Font="2" Size="4"><ofd:TextCode X="0" Y="4">张 三</ofd:TextCode></ofd:TextObject>',
      ),
    )
    const [t] = texts(page)
    expect(t!.glyphs.map((g) => [g.c, !!g.g])).toEqual([
      ['张', true],
      [' ', false],
      ['三', true],
    ])
    for (const g of t!.glyphs) if (g.g) expect(page.glyphs[g.g]).toMatch(/^M[-\d.]+ [-\d.]+[LQCZ]/)
    expect(page.fonts[t!.font]).toEqual({
      family: '宋体',
      source: 'bundled',
      face: 'CounterDesk Song',
    })
  })

  it('moves clips into page space: unions within a Clip, intersections across Clips, text clips', async () => {
    const page = await render(edge('clips'))
    const clipped = groups(page).filter((g) => g.clips)
    expect(clipped).toHaveLength(4)
    expect(clipped[0]!.clips).toHaveLength(1)
    expect(clipped[0]!.clips![0]![0]!.d.startsWith('M10 25C')).toBe(true) // circle from (5+5, 5+20), arcs as curves
    expect(clipped[1]!.clips![0]).toHaveLength(2) // two areas: a union
    expect(clipped[1]!.clips![0]![1]!.d.startsWith('M75 5L')).toBe(true) // the rotated area: (50+40−15, 5+0)
    expect(clipped[2]!.clips).toHaveLength(2) // two clips: an intersection
    expect(clipped[3]!.clips![0]![0]!.d.length).toBeGreaterThan(200) // glyph outlines of 裁剪
  })

  it('draws templates beneath or above as their ZOrder says, and breaks template cycles', async () => {
    const doc = await openOfd(edge('templates'))
    const first = renderPage(doc, 0, { fonts: fonts() })
    expect(first.ops.map((o) => (o.kind === 'group' ? `${o.role}:${o.ref}` : o.kind))).toEqual([
      'template:11',
      'path',
      'text',
      'template:12',
    ])
    expect(first.warnings).toEqual(['模板页循环引用：11'])
    const second = renderPage(doc, 1, { fonts: fonts() })
    expect(second).toMatchObject({ width: 80, height: 50 })
    expect(second.ops.map((o) => (o.kind === 'group' ? `${o.role}:${o.ref}` : o.kind))).toEqual([
      'path',
      'template:11',
    ])
    const mark = texts(first).find((t) => t.text === '副本')!
    expect(groups(first).some((g) => g.alpha !== undefined && g.ops.includes(mark))).toBe(true)
  })

  it('resolves colour spaces, draw parameters (relative, and in a loop), images and composites', async () => {
    const page = await render(edge('resources'))
    const p = paths(page)
    expect(p[0]!.fill).toEqual([255, 240, 200, 1]) // from DrawParam 7
    expect(p[0]!.stroke).toMatchObject({
      color: [120, 0, 160, 1],
      width: 1.2,
      cap: 'round',
      dash: [2, 1],
    }) // from 6
    expect(p[1]!.fill).toEqual([255, 0, 0, 1]) // CMYK 0 255 255 0
    expect(p[1]!.stroke).toMatchObject({ color: [0, 0, 0, 1], width: 0.5 }) // 8 ↔ 9 loop, broken
    expect(p[2]!.fill).toEqual([96, 96, 96, 1])
    expect(p[3]!.fill).toEqual([128, 0, 255, 1]) // palette index 1
    expect(Object.values(page.images).map((i) => [i.mime, i.width, i.height])).toEqual([
      ['image/png', 80, 60],
      ['image/jpeg', 80, 60],
      ['image/png', 80, 60], // BMP, re-encoded
      ['image/png', 40, 30],
    ])
    const badge = groups(page).filter(
      (g) => g.ops.length === 1 && g.ops[0]!.kind === 'path' && g.ops[0]!.fill?.[1] === 140,
    )
    expect(badge).toHaveLength(2)
    expect(page.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('missing.gif'), '复合图元循环引用：17']),
    )
    const annotation = groups(page).find((g) => g.role === 'annotation')!
    expect(annotation.ref).toBe('80')
    expect(texts(page).map((t) => t.text)).toContain('已核验')
    expect(texts(page).find((t) => t.text.startsWith('页资源'))!.fill).toEqual([225, 137, 137, 1]) // CMYK 0 100 100 30
  })

  it('prefers the embedded font and its CGTransform glyph indexes', async () => {
    const page = await render(edge('embedded-font'))
    const [t] = texts(page)
    expect(page.fonts[t!.font]!.source).toBe('embedded')
    const gids = t!.glyphs.map((g) => Number(g.g!.split(':')[1]))
    const song = fonts().bundled('song')
    expect(gids).toEqual([...'嵌入字体'].map((c) => song.glyphId(c.codePointAt(0)!)))
  })

  it('stamps seals as groups with their pictures: an OFD picture, PNG, BMP', async () => {
    const ofdSeal = await render(fixture('licence-v4.ofd'))
    const seal = groups(ofdSeal).find((g) => g.role === 'seal')!
    expect(seal.ref).toBe('1')
    expect(seal.clips![0]![0]!.d).toBe('M132 190L174 190L174 232L132 232Z')
    expect(
      texts({ ...ofdSeal, ops: [...seal.ops] })
        .map((t) => t.text)
        .join(''),
    ).toContain('郑州市市场监督管理局'.slice(0, 1))
    const pngSeal = await render(fixture('business-v4-png-seal.ofd'))
    const image = flat(groups(pngSeal).find((g) => g.role === 'seal')!.ops)[0]!
    expect(image.kind).toBe('image')
    const bmpSeal = await render(fixture('licence-v1-bmp-seal.ofd'))
    const bmp = flat(groups(bmpSeal).find((g) => g.role === 'seal')!.ops)[0]!
    expect(bmp.kind === 'image' && bmpSeal.images[bmp.image]!.mime).toBe('image/png')
    const withoutSeals = renderPage(await openOfd(fixture('licence-v4.ofd')), 0, {
      fonts: fonts(),
      seals: false,
    })
    expect(groups(withoutSeals).some((g) => g.role === 'seal')).toBe(false)
  })

  it('produces plain data that survives JSON and matches the shared schema', async () => {
    for (const bytes of [fixture('licence-v4.ofd'), edge('clips'), edge('resources')]) {
      const page = await render(bytes)
      const copy = JSON.parse(JSON.stringify(page))
      expect(RenderPageSchema.parse(copy)).toEqual(page)
    }
  })

  it('bounds what composites can amplify', async () => {
    const unit = (id: number, child: number) =>
      `<ofd:CompositeGraphicUnit ID="${id}" Width="1" Height="1"><ofd:Content>${Array.from({ length: 60 }, (_, i) => `<ofd:CompositeObject ID="${id * 100 + i}" Boundary="0 0 1 1" ResourceID="${child}"/>`).join('')}</ofd:Content></ofd:CompositeGraphicUnit>`
    const res = `<ofd:CompositeGraphicUnits>${unit(10, 11)}${unit(11, 12)}${unit(12, 13)}<ofd:CompositeGraphicUnit ID="13" Width="1" Height="1"><ofd:Content><ofd:PathObject ID="5" Boundary="0 0 1 1"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData></ofd:PathObject></ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits>`
    const bomb = minimalOfd(
      Array.from(
        { length: 60 },
        (_, i) => `<ofd:CompositeObject ID="${900 + i}" Boundary="0 0 1 1" ResourceID="10"/>`,
      ).join(''),
      {},
      res,
    )
    const start = performance.now()
    let code = 'no error'
    try {
      await render(bomb)
    } catch (e) {
      code = isCounterError(e) ? e.code : String(e)
    }
    expect(code).toBe('OFD_LIMIT_EXCEEDED')
    expect(performance.now() - start).toBeLessThan(10000)
  })
})
