import { describe, expect, it } from 'vitest'
import { isCounterError } from '../../../../src/shared/errors'
import { DEFAULT_LIMITS } from '../../../../src/main/ofd'
import { child, decodeXml, parseXml } from '../../../../src/main/ofd/package/xml'

const parse = (s: string, over = {}) => parseXml(s, 'test.xml', { ...DEFAULT_LIMITS, ...over })
const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    if (isCounterError(e)) return e.code
    throw e
  }
  return 'no error'
}

describe('the OFD XML parser', { timeout: 60_000 }, () => {
  it('reads elements, attributes, text, CDATA and entities, dropping namespace prefixes', () => {
    const root = parse(
      `<?xml version="1.0"?>\n<!-- c --><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016" a='1' ofd:b="&lt;&amp;&#x4E2D;&#25991;">` +
        `<ofd:TextCode X="1">张 三&gt;<![CDATA[<raw>]]></ofd:TextCode><Empty/></ofd:Page>`,
    )
    expect(root.name).toBe('Page')
    expect(root.attrs).toEqual({ a: '1', b: '<&中文' })
    expect(child(root, 'TextCode')!.text).toBe('张 三><raw>')
    expect(child(root, 'Empty')!.children).toEqual([])
  })

  it('decodes GB 18030 parts that declare it, and UTF-8 with a BOM', () => {
    const gbk = Uint8Array.of(
      ...new TextEncoder().encode('<?xml version="1.0" encoding="GB2312"?><a>'),
      0xd6,
      0xa4,
      0xd5,
      0xd5,
      ...new TextEncoder().encode('</a>'),
    )
    expect(decodeXml(gbk)).toContain('证照')
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a>证</a>'))
    expect(parseXml(bom, 'x', DEFAULT_LIMITS).text).toBe('证')
  })

  it('refuses DOCTYPE and ENTITY declarations: no XXE, no entity expansion', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`
    expect(codeOf(() => parse(xxe))).toBe('OFD_XML_FORBIDDEN')
    expect(codeOf(() => parse(laughs))).toBe('OFD_XML_FORBIDDEN')
    expect(codeOf(() => parse('<r>&x;</r>'))).toBe('OFD_XML_MALFORMED')
    expect(codeOf(() => parse('<r a="&ext;"/>'))).toBe('OFD_XML_MALFORMED')
  })

  it.each([
    ['<a><b></a>', 'mismatched end tag'],
    ['<a>', 'unclosed'],
    ['<a b="1" b="2"/>', 'duplicate attribute'],
    ['<a b=1/>', 'unquoted attribute'],
    ['<a b="<"/>', '< in attribute'],
    ['<a/><b/>', 'two roots'],
    ['text<a/>', 'text outside the root'],
    ['', 'empty'],
    ['<a>&#xD800;</a>', 'surrogate reference'],
    ['<a>&#99999999;</a>', 'out of range reference'],
    ['<a b="1"c="2"/>', 'no space between attributes'],
    ['<!-- unterminated <a/>', 'unterminated comment'],
  ])('reports %s (%s) as malformed', (xml) => {
    expect(codeOf(() => parse(xml))).toBe('OFD_XML_MALFORMED')
  })

  it('bounds depth, element count and size', () => {
    expect(codeOf(() => parse('<a>'.repeat(300) + '</a>'.repeat(300)))).toBe('OFD_LIMIT_EXCEEDED')
    expect(codeOf(() => parse(`<r>${'<e/>'.repeat(2000)}</r>`, { maxXmlElements: 1000 }))).toBe(
      'OFD_LIMIT_EXCEEDED',
    )
    expect(codeOf(() => parse(`<r>${'x'.repeat(2000)}</r>`, { maxXmlBytes: 1000 }))).toBe(
      'OFD_LIMIT_EXCEEDED',
    )
  })

  it('parses a large dense part in bounded time', () => {
    const xml = `<r>${'<TextObject Boundary="1 2 3 4" Font="1" Size="3"><TextCode X="0" Y="1">测试文字</TextCode></TextObject>'.repeat(20_000)}</r>`
    const start = performance.now()
    const root = parse(xml)
    expect(root.children).toHaveLength(20_000)
    expect(performance.now() - start).toBeLessThan(6000)
  })
})
