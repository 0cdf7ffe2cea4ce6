import { unzipSync } from 'fflate'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DrawOp, TextOp } from '../../../../src/shared/domain'
import { isCounterError } from '../../../../src/shared/errors'
import {
  buildLicenceOfd,
  loadLicenceTemplate,
  makeSealV4,
  openOfd,
  parseLicenceTemplate,
  rasterisePage,
  renderPage,
  signOfd,
  verifyOfd,
  type LicenceTemplate,
} from '../../../../src/main/ofd'
import { parseFont } from '../../../../src/main/ofd/fonts/library'
import { fixturePki, type FixturePki } from '../../../fixtures/ofd/pki'
import { fonts, RESOURCES } from './helpers'

let generic: LicenceTemplate
let pki: FixturePki
beforeAll(async () => {
  generic = await loadLicenceTemplate(RESOURCES, 'generic-licence')
  pki = await fixturePki()
})

const FIELDS = {
  licenceName: '机动车驾驶证',
  licenceNumber: '410105197805160032',
  holderName: '张建国',
  holderCode: '410105197805160032',
  issuer: '郑州市公安局交通警察支队',
  issueDate: '2020年05月16日',
  validity: '2020年05月16日至2030年05月16日',
  identifier: '1.2.156.3005.2.11100000000013338W032.11410100MB17845054.2020118342.001.7',
}
const texts = (ops: readonly DrawOp[]): TextOp[] =>
  ops.flatMap((o) => (o.kind === 'text' ? [o] : o.kind === 'group' ? texts(o.ops) : []))
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e) => (isCounterError(e) ? e.code : String(e)),
  )

describe('writing licence files from templates', { timeout: 60_000 }, () => {
  it('round-trips: write → read → render → sign → verify', async () => {
    const built = await buildLicenceOfd(
      {
        template: generic,
        fields: FIELDS,
        qr: FIELDS.identifier,
        metadata: { 证照标识: FIELDS.identifier },
        creationDate: new Date('2024-05-01T00:00:00Z'),
      },
      { fonts: fonts() },
    )
    const doc = await openOfd(built.bytes)
    expect(doc.info.customData).toEqual({ 证照标识: FIELDS.identifier })
    const page = renderPage(doc, 0, { fonts: fonts() })
    expect(page.warnings).toEqual([])
    const drawn = texts(page.ops)
      .map((t) => t.text)
      .join('|')
    for (const v of Object.values(FIELDS).slice(0, 7)) expect(drawn).toContain(v)
    // Every font drawn comes from the file itself, not from the bundled faces.
    expect(new Set(Object.values(page.fonts).map((f) => f.source))).toEqual(new Set(['embedded']))

    const seal = await makeSealV4(
      {
        esId: 'W1',
        vendorId: 'test',
        type: 1,
        name: '郑州市公安局交通警察支队电子印章',
        signerCerts: [pki.signer.certificate],
        createDate: pki.notBefore,
        validStart: pki.notBefore,
        validEnd: pki.notAfter,
        picture: {
          type: 'PNG',
          data: new Uint8Array(await rasterisePage(page, { width: 64 })),
          width: 40,
          height: 40,
        },
      },
      pki.maker.signer,
    )
    const signed = await signOfd(built.bytes, {
      signer: pki.signer.signer,
      seal,
      stamp: built.stamp,
    })
    const result = await verifyOfd(await openOfd(signed), {
      trust: { certificates: [pki.root.certificate] },
    })
    expect(result.allValid).toBe(true)
    expect(result.signatures[0]).toMatchObject({
      status: 'valid',
      stamps: [{ page: 0, boundary: [132, 190, 42, 42] }],
    })
  })

  it('embeds subsets that hold exactly the characters used', async () => {
    const built = await buildLicenceOfd({ template: generic, fields: FIELDS }, { fonts: fonts() })
    const files = unzipSync(built.bytes)
    const fontFiles = Object.keys(files).filter((f) => /font_\d+\.(otf|ttf)$/.test(f))
    expect(fontFiles.length).toBeGreaterThanOrEqual(3)
    for (const f of fontFiles) {
      expect(files[f]!.length).toBeLessThan(120_000)
      const font = parseFont(files[f]!, f, 'embedded')!
      expect(font.glyphCount).toBeLessThan(200)
    }
    const song = Object.entries(files).find(
      ([k]) =>
        /font_\d+\.otf$/.test(k) &&
        parseFont(files[k]!, k, 'embedded')!.glyphId('张'.codePointAt(0)!),
    )
    expect(song).toBeDefined()
    const sub = parseFont(song![1], 'song', 'embedded')!
    expect(sub.glyphId('张'.codePointAt(0)!)).toBeGreaterThan(0)
    expect(sub.glyphId('龟'.codePointAt(0)!)).toBe(0)
    expect(Object.keys(files)).toContain('Doc_0/Tpls/Tpl_0/Content.xml')
    expect(new TextDecoder().decode(files['Doc_0/Tags/Licence.xml'])).toContain(
      '<ofd:Field Key="holderName" Label="持证人"><ofd:Value>张建国</ofd:Value><ofd:ObjectRef',
    )
  })

  it('writes DeltaX with g repeats for evenly spaced characters', async () => {
    const built = await buildLicenceOfd(
      { template: generic, fields: { ...FIELDS, holderName: '欧阳中华人民' } },
      { fonts: fonts() },
    )
    const page = new TextDecoder().decode(unzipSync(built.bytes)['Doc_0/Pages/Page_0/Content.xml'])
    expect(page).toMatch(
      /<ofd:TextCode X="0" Y="[\d.]+" DeltaX="g 5 [\d.]+">欧阳中华人民<\/ofd:TextCode>/,
    )
  })

  it('makes the same bytes from the same input', async () => {
    const input = {
      template: generic,
      fields: FIELDS,
      qr: 'x',
      docId: 'same',
      creationDate: new Date('2024-01-01T00:00:00Z'),
    }
    const a = await buildLicenceOfd(input, { fonts: fonts() })
    const b = await buildLicenceOfd(input, { fonts: fonts() })
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true)
  })

  it('draws a QR code a phone can read', async () => {
    const content = `https://licence.example.gov.cn/verify?id=${FIELDS.identifier}`
    const built = await buildLicenceOfd(
      { template: generic, fields: FIELDS, qr: content },
      { fonts: fonts() },
    )
    const page = renderPage(await openOfd(built.bytes), 0, { fonts: fonts() })
    const png = PNG.sync.read(Buffer.from(await rasterisePage(page, { dpi: 200 })))
    const px = (mm: number) => Math.round((mm * 200) / 25.4)
    const { x, y, size } = generic.qr!
    const crop = new PNG({ width: px(size + 4), height: px(size + 4) })
    PNG.bitblt(png, crop, px(x - 2), px(y - 2), crop.width, crop.height, 0, 0)
    expect(jsQR(new Uint8ClampedArray(crop.data), crop.width, crop.height)?.data).toBe(content)
  })

  it('falls back to another face for a character the field font lacks', async () => {
    // The bundled 楷体 keeps GB 2312 level 1 only; 鑫 is level 2 and comes from the Song face.
    const template = parseLicenceTemplate(
      {
        ...generic,
        fields: [{ key: 'name', label: '名称', x: 10, y: 20, width: 100, font: '楷体', size: 5 }],
      },
      'kai',
    )
    const built = await buildLicenceOfd(
      { template, fields: { name: '鑫源餐饮' } },
      { fonts: fonts() },
    )
    const page = new TextDecoder().decode(unzipSync(built.bytes)['Doc_0/Pages/Page_0/Content.xml'])
    expect(page).toMatch(/>鑫<\/ofd:TextCode>/)
    expect(page).toMatch(/>源餐饮<\/ofd:TextCode>/)
    const res = new TextDecoder().decode(unzipSync(built.bytes)['Doc_0/PublicRes.xml'])
    expect(res).toContain('FontName="宋体"')
    expect(res).toContain('FontName="楷体"')
  })

  it('refuses what would print wrong: a missing field, text that does not fit, a character no font has', async () => {
    const { holderName: _drop, ...rest } = FIELDS
    expect(
      await code(buildLicenceOfd({ template: generic, fields: rest }, { fonts: fonts() })),
    ).toBe('OFD_FIELD_MISSING')
    expect(
      await code(
        buildLicenceOfd(
          { template: generic, fields: { ...FIELDS, issuer: '郑州市'.repeat(40) } },
          { fonts: fonts() },
        ),
      ),
    ).toBe('OFD_FIELD_TOO_LONG')
    const err = await buildLicenceOfd(
      { template: generic, fields: { ...FIELDS, holderName: '吉𠮷祥' } },
      { fonts: fonts() },
    ).catch((e: unknown) => e)
    expect(isCounterError(err) && err.code).toBe('OFD_GLYPH_MISSING')
    expect(isCounterError(err) && err.message).toBe('字库中没有字符“𠮷”（持证人）')
  })

  it('shrinks long values to one line when it can, and wraps them when it must', async () => {
    const longer = '河南省郑州市金水区经三路12号院3号楼2单元801室及其附属车库'
    const longest =
      '河南省郑州市金水区经三路12号院3号楼2单元801室及其附属车库与地下储藏间（共有部分）'
    const lay = async (holderName: string) => {
      const built = await buildLicenceOfd(
        { template: generic, fields: { ...FIELDS, holderName } },
        { fonts: fonts() },
      )
      const page = renderPage(await openOfd(built.bytes), 0, { fonts: fonts() })
      return texts(page.ops).filter((t) => t.text.length > 1 && holderName.includes(t.text))
    }
    const one = await lay(longer)
    expect(one.map((l) => l.text)).toEqual([longer])
    expect(one[0]!.size).toBeLessThan(4.4)
    expect(one[0]!.size).toBeGreaterThanOrEqual(3.2)
    const two = await lay(longest)
    expect(two).toHaveLength(2)
    expect(two.map((l) => l.text).join('')).toBe(longest)
    expect(two[1]!.transform[5] - two[0]!.transform[5]).toBeCloseTo(6) // the template's line height
  })

  it('validates templates strictly and names the bad key', async () => {
    const bad = (json: unknown) => {
      try {
        parseLicenceTemplate(json, 't')
        return 'no error'
      } catch (e) {
        return isCounterError(e) ? `${e.code} ${e.message}` : String(e)
      }
    }
    expect(bad({ ...generic, fields: [{ ...generic.fields[0], sise: 3 }] })).toMatch(
      /^OFD_TEMPLATE_INVALID .*fields\.0/,
    )
    expect(bad({ ...generic, page: { width: -1, height: 10 } })).toMatch(/page\.width/)
    expect(bad({ ...generic, texts: [{ text: 'x', x: 1, y: 1, size: 3, font: 'Arial' }] })).toMatch(
      /texts\.0\.font/,
    )
    expect(await code(loadLicenceTemplate(RESOURCES, 'no-such-template'))).toBe(
      'OFD_TEMPLATE_UNKNOWN',
    )
    expect(await code(loadLicenceTemplate(RESOURCES, '../fonts/README'))).toBe(
      'OFD_TEMPLATE_UNKNOWN',
    )
  })
})
