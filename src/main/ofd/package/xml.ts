/**
 * A strict, small XML parser for OFD parts. OFD needs elements, attributes, text, CDATA and the
 * five predefined entities — nothing else. A DOCTYPE or ENTITY declaration is refused outright
 * (that closes XXE and entity expansion), and depth and element count are bounded, so a hostile
 * part costs at most its own size in time and a bounded multiple of it in memory.
 *
 * Names lose their namespace prefix (`ofd:Page` → `Page`): producers disagree on prefixes, and
 * OFD has one vocabulary.
 */
import { CounterError } from '../../../shared/errors'

export interface XmlElement {
  /** Local name, prefix removed. */
  readonly name: string
  readonly attrs: Readonly<Record<string, string>>
  readonly children: readonly XmlElement[]
  /** The element's own text (CDATA included), entities decoded, not trimmed. */
  readonly text: string
}

export interface XmlLimits {
  readonly maxXmlBytes: number
  readonly maxXmlDepth: number
  readonly maxXmlElements: number
}

interface MutableElement {
  name: string
  qname: string
  attrs: Record<string, string>
  children: MutableElement[]
  text: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Decodes an XML part's bytes: BOM, then the declared encoding (GB 18030 family), else UTF-8. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3))
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200))
  const enc = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase()
  if (enc && /^(gb2312|gbk|gb18030|cp936|x-gbk)$/.test(enc))
    return new TextDecoder('gb18030').decode(bytes)
  return new TextDecoder('utf-8').decode(bytes)
}

function localName(qname: string): string {
  const i = qname.indexOf(':')
  return i < 0 ? qname : qname.slice(i + 1)
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

/** Name characters: anything but whitespace and markup delimiters (CJK names are allowed). */
function isNameChar(c: number): boolean {
  return !(
    isSpace(c) ||
    c === 0x3c || // <
    c === 0x3e || // >
    c === 0x2f || // /
    c === 0x3d || // =
    c === 0x22 || // "
    c === 0x27 || // '
    c === 0x26 || // &
    Number.isNaN(c)
  )
}

export function parseXml(input: Uint8Array | string, part: string, limits: XmlLimits): XmlElement {
  const size = typeof input === 'string' ? input.length : input.length
  if (size > limits.maxXmlBytes)
    throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `${part} 过大` } })
  const src = typeof input === 'string' ? input : decodeXml(input)
  const fail = (reason: string, at: number): never => {
    throw new CounterError('OFD_XML_MALFORMED', {
      params: { part, reason },
      detail: `at offset ${at}`,
    })
  }

  const decodeText = (raw: string, at: number): string => {
    if (raw.indexOf('&') < 0) return raw
    return raw.replace(/&([^;&\s]{0,12});?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) fail('实体引用未结束', at)
      if (ref.startsWith('#')) {
        const code =
          ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
        if (
          !Number.isInteger(code) ||
          code <= 0 ||
          code > 0x10ffff ||
          (code >= 0xd800 && code <= 0xdfff)
        )
          fail(`字符引用无效 &${ref};`, at)
        return String.fromCodePoint(code)
      }
      const v = ENTITIES[ref]
      if (v === undefined) fail(`未定义的实体 &${ref};`, at)
      return v!
    })
  }

  const stack: MutableElement[] = []
  let root: MutableElement | undefined
  let count = 0
  let i = 0
  const n = src.length

  while (i < n) {
    const lt = src.indexOf('<', i)
    const textEnd = lt < 0 ? n : lt
    if (textEnd > i) {
      const raw = src.slice(i, textEnd)
      const top = stack[stack.length - 1]
      if (top) top.text += decodeText(raw, i)
      else if (raw.trim() !== '') fail('根元素之外有文本', i)
    }
    if (lt < 0) break
    i = lt
    const c1 = src.charCodeAt(i + 1)
    if (c1 === 0x3f /* ? */) {
      const end = src.indexOf('?>', i + 2)
      if (end < 0) fail('处理指令未结束', i)
      i = end + 2
      continue
    }
    if (c1 === 0x21 /* ! */) {
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4)
        if (end < 0) fail('注释未结束', i)
        i = end + 3
        continue
      }
      if (src.startsWith('<![CDATA[', i)) {
        const end = src.indexOf(']]>', i + 9)
        if (end < 0) fail('CDATA 未结束', i)
        const top = stack[stack.length - 1]
        if (!top) fail('根元素之外有 CDATA', i)
        top!.text += src.slice(i + 9, end)
        i = end + 3
        continue
      }
      const decl = src.slice(i + 2, i + 10).toUpperCase()
      if (decl.startsWith('DOCTYPE') || decl.startsWith('ENTITY'))
        throw new CounterError('OFD_XML_FORBIDDEN', { params: { part } })
      fail('无法识别的声明', i)
    }
    if (c1 === 0x2f /* / */) {
      let j = i + 2
      while (j < n && isNameChar(src.charCodeAt(j))) j++
      const qname = src.slice(i + 2, j)
      while (j < n && isSpace(src.charCodeAt(j))) j++
      if (src.charCodeAt(j) !== 0x3e) fail('结束标签格式错误', i)
      const open = stack.pop()
      if (!open || open.qname !== qname) fail(`结束标签 </${qname}> 不匹配`, i)
      i = j + 1
      continue
    }

    // A start tag.
    let j = i + 1
    while (j < n && isNameChar(src.charCodeAt(j))) j++
    const qname = src.slice(i + 1, j)
    if (qname === '') fail('标签名为空', i)
    if (++count > limits.maxXmlElements)
      throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `${part} 元素过多` } })
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>
    let selfClosing = false
    for (;;) {
      const before = j
      while (j < n && isSpace(src.charCodeAt(j))) j++
      const c = src.charCodeAt(j)
      if (c === 0x3e) {
        j++
        break
      }
      if (c === 0x2f) {
        if (src.charCodeAt(j + 1) !== 0x3e) fail('标签格式错误', j)
        selfClosing = true
        j += 2
        break
      }
      if (j >= n) fail('标签未结束', i)
      if (j === before) fail('属性之间缺少空白', j)
      const a = j
      while (j < n && isNameChar(src.charCodeAt(j))) j++
      const aq = src.slice(a, j)
      if (aq === '') fail('属性名为空', a)
      while (j < n && isSpace(src.charCodeAt(j))) j++
      if (src.charCodeAt(j) !== 0x3d) fail(`属性 ${aq} 缺少值`, j)
      j++
      while (j < n && isSpace(src.charCodeAt(j))) j++
      const q = src.charCodeAt(j)
      if (q !== 0x22 && q !== 0x27) fail(`属性 ${aq} 的值缺少引号`, j)
      const close = src.indexOf(q === 0x22 ? '"' : "'", j + 1)
      if (close < 0) fail(`属性 ${aq} 的值未结束`, j)
      const rawValue = src.slice(j + 1, close)
      if (rawValue.indexOf('<') >= 0) fail(`属性 ${aq} 的值含有 <`, j)
      j = close + 1
      if (aq === 'xmlns' || aq.startsWith('xmlns:')) continue
      const key = localName(aq)
      if (Object.hasOwn(attrs, key)) fail(`属性 ${aq} 重复`, a)
      attrs[key] = decodeText(rawValue, a).replace(/[\t\n\r]/g, ' ')
    }
    const el: MutableElement = { name: localName(qname), qname, attrs, children: [], text: '' }
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(el)
    else if (root) fail('存在多个根元素', i)
    else root = el
    if (!selfClosing) {
      stack.push(el)
      if (stack.length > limits.maxXmlDepth)
        throw new CounterError('OFD_LIMIT_EXCEEDED', { params: { what: `${part} 嵌套过深` } })
    }
    i = j
  }
  if (stack.length > 0) fail(`元素 <${stack[stack.length - 1]!.qname}> 未结束`, n)
  if (!root) fail('没有根元素', 0)
  return root!
}

/** Small helpers over the tree, so parsers read like the standard. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name)
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name)
}

export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name)
  return c ? c.text.trim() : undefined
}
