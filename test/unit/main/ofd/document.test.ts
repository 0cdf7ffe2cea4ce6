import { describe, expect, it } from 'vitest'
import { isCounterError } from '../../../../src/shared/errors'
import { openOfd, outlineOf, type TextObject } from '../../../../src/main/ofd'
import { edge, fixture, minimalOfd, pack } from './helpers'

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn()
  } catch (e) {
    if (isCounterError(e)) return e.code
    throw e
  }
  return 'no error'
}

describe('reading an OFD into the document model', { timeout: 60_000 }, () => {
  it('reads DocInfo, the page area, templates and pages', async () => {
    const doc = await openOfd(edge('templates'))
    expect(doc.info.docId).toBe('edge-templates')
    expect(doc.info.title).toBe('模板页')
    expect(doc.pageArea.physicalBox).toEqual([0, 0, 100, 70])
    expect([...doc.templateRefs.keys()]).toEqual(['11', '12', '13'])
    expect(doc.templateRefs.get('12')!.zOrder).toBe('Foreground')
    expect(doc.pageRefs.map((p) => p.id)).toEqual(['1', '2'])
    expect(doc.page(1).area?.physicalBox).toEqual([0, 0, 80, 50])
    expect(doc.page(1).templates).toEqual([{ templateId: '11', zOrder: 'Foreground' }])
    expect(outlineOf(doc).pages).toEqual([
      { index: 0, width: 100, height: 70 },
      { index: 1, width: 80, height: 50 },
    ])
  })

  it('reads public, document and page resources', async () => {
    const doc = await openOfd(edge('resources'))
    const r = doc.resources
    expect(r.fonts.get('2')!.fontName).toBe('宋体')
    expect(r.colorSpaces.get('3')!.type).toBe('CMYK')
    expect(r.colorSpaces.get('5')!.palette).toEqual([
      [255, 128, 0],
      [128, 0, 255],
    ])
    expect(r.drawParams.get('7')!.relative).toBe('6')
    expect(r.media.get('12')!.file).toBe('Doc_0/Res/photo24.bmp')
    expect(r.compositeUnits.get('15')!.objects).toHaveLength(1)
    const page = doc.page(0)
    expect(page.resources.fonts.get('19')!.familyName).toBe('华文楷体')
    expect(page.resourceFiles).toEqual(['Doc_0/Pages/Page_0/PageRes.xml'])
    expect(doc.resourcesFor(page).fonts.has('19')).toBe(true)
    expect(page.layers[0]!.drawParam).toBe('6')
    expect(page.layers[0]!.objects.map((o) => o.kind)).toEqual([
      'path',
      'path',
      'path',
      'path',
      'image',
      'image',
      'image',
      'image',
      'image',
      'composite',
      'composite',
      'composite',
      'text',
    ])
  })

  it('reads annotations, custom tags and attachments', async () => {
    const doc = await openOfd(edge('resources'))
    const annots = doc.annotations(0)
    expect(annots.map((a) => [a.id, a.type, a.visible])).toEqual([
      ['80', 'Stamp', true],
      ['83', 'Path', false],
    ])
    expect(annots[0]!.parameters).toEqual({ 'fp.Reason': '材料齐全' })
    expect(annots[0]!.remark).toBe('已核验')
    expect(annots[0]!.appearance!.boundary).toEqual([100, 66, 32, 18])
    const [tag] = doc.customTags()
    expect(tag!.typeId).toBe('licence')
    expect(tag!.file).toBe('Doc_0/Tags/Licence.xml')
    expect(tag!.root!.children.find((c) => c.name === 'Number')!.text).toBe('410105006852')
    expect(doc.attachments()).toEqual([
      {
        id: '85',
        name: '说明.txt',
        format: 'txt',
        creationDate: '2024-05-01',
        size: 21,
        file: 'Doc_0/Attachs/readme.txt',
      },
    ])
  })

  it('reads text codes with their g-repeats expanded no further than the characters need', async () => {
    const doc = await openOfd(edge('deltax'))
    const [first, second, third, , fifth] = doc.page(0).layers[0]!.objects as TextObject[]
    expect(first!.codes[0]!.deltaX).toEqual([6, 6, 6, 6, 3, 3])
    expect(second!.codes[0]!.deltaX).toEqual([5, 7, 7, 7])
    expect(second!.codes[0]!.deltaY).toEqual([2.5, 2.5, 2.5, 2.5])
    expect(third!.codes.map((c) => [c.x, c.text])).toEqual([
      [0, '窄字体'],
      [undefined, '紧随其后'],
    ])
    expect(fifth!.codes[0]!.deltaX).toHaveLength(6) // "g 999999999 5.5" over seven characters
  })

  it('reads signatures and signature files', async () => {
    const doc = await openOfd(fixture('two-signatures.ofd'))
    const entries = doc.signatureEntries()
    expect(entries.map((e) => [e.id, e.type, e.baseLoc])).toEqual([
      ['1', 'Seal', 'Doc_0/Signs/Sign_0/Signature.xml'],
      ['2', 'Seal', 'Doc_0/Signs/Sign_1/Signature.xml'],
    ])
    const file = doc.signatureFile(entries[1]!)
    expect(file.signatureMethod).toBe('1.2.156.10197.1.501')
    expect(file.checkMethod).toBe('1.2.156.10197.1.401')
    expect(file.stamps).toEqual([
      { pageRef: doc.pageRefs[0]!.id, boundary: [30, 190, 38, 38], id: '1' },
    ])
    expect(file.signedValue).toBe('Doc_0/Signs/Sign_1/SignedValue.dat')
    expect(file.references.map((r) => r.fileRef)).toContain('Doc_0/Signs/Sign_0/SignedValue.dat')
    expect(file.references.map((r) => r.fileRef)).not.toContain('Doc_0/Signs/Signatures.xml')
  })

  it('lists the files the document draws from', async () => {
    const doc = await openOfd(edge('resources'))
    expect(doc.drawnFiles().sort()).toEqual(
      [
        'Doc_0/Document.xml',
        'Doc_0/PublicRes.xml',
        'Doc_0/DocumentRes.xml',
        'Doc_0/Pages/Page_0/Content.xml',
        'Doc_0/Pages/Page_0/PageRes.xml',
        'Doc_0/Res/photo.png',
        'Doc_0/Res/photo.jpg',
        'Doc_0/Res/photo24.bmp',
        'Doc_0/Res/palette8.bmp',
        'Doc_0/Res/missing.gif',
        'Doc_0/Annots/Annotations.xml',
        'Doc_0/Annots/Page_0/Annotation.xml',
      ].sort(),
    )
  })

  it('names the missing part', async () => {
    const ok = minimalOfd('')
    expect(await codeOf(() => openOfd(pack({ 'readme.txt': 'x' })))).toBe('OFD_PART_MISSING')
    const noDocRoot = pack({
      'OFD.xml': '<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>',
    })
    expect(await codeOf(() => openOfd(noDocRoot))).toBe('OFD_PART_MISSING')
    const doc = await openOfd(ok)
    expect(await codeOf(() => doc.page(3))).toBe('OFD_PAGE_OUT_OF_RANGE')
    const noPage = minimalOfd('', { 'Doc_0/Pages/Page_0/Content.xml': new Uint8Array(0) })
    expect(await codeOf(async () => (await openOfd(noPage)).page(0))).toBe('OFD_XML_MALFORMED')
  })

  it('refuses numbers no document means', async () => {
    const huge = minimalOfd(
      '<ofd:PathObject ID="4" Boundary="0 0 1e308 10"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData></ofd:PathObject>',
    )
    expect(await codeOf(async () => (await openOfd(huge)).page(0))).toBe('OFD_STRUCTURE_INVALID')
    const nan = minimalOfd(
      '<ofd:TextObject ID="4" Boundary="0 0 10 10" Font="2" Size="NaN"><ofd:TextCode>x</ofd:TextCode></ofd:TextObject>',
    )
    expect(await codeOf(async () => (await openOfd(nan)).page(0))).toBe('OFD_STRUCTURE_INVALID')
    const ctm = minimalOfd(
      '<ofd:PathObject ID="4" Boundary="0 0 1 1" CTM="1 0 0 1"><ofd:AbbreviatedData>M 0 0</ofd:AbbreviatedData></ofd:PathObject>',
    )
    expect(await codeOf(async () => (await openOfd(ctm)).page(0))).toBe('OFD_STRUCTURE_INVALID')
    const pageBox = pack({
      'OFD.xml': '<OFD><DocBody><DocRoot>D.xml</DocRoot></DocBody></OFD>',
      'D.xml':
        '<Document><CommonData><PageArea><PhysicalBox>0 0 -5 99999999</PhysicalBox></PageArea></CommonData></Document>',
    })
    expect(await codeOf(() => openOfd(pageBox))).toBe('OFD_STRUCTURE_INVALID')
  })

  it('refuses locations outside the package and external URLs', async () => {
    const escape = pack({
      'OFD.xml': '<OFD><DocBody><DocRoot>../../etc/Document.xml</DocRoot></DocBody></OFD>',
    })
    expect(await codeOf(() => openOfd(escape))).toBe('OFD_ZIP_UNSAFE')
    const url = pack({
      'OFD.xml': '<OFD><DocBody><DocRoot>http://example.com/Document.xml</DocRoot></DocBody></OFD>',
    })
    expect(await codeOf(() => openOfd(url))).toBe('OFD_ZIP_UNSAFE')
  })
})
