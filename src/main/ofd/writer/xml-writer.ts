/** Writing OFD XML: escaped text, elements in the `ofd:` namespace, numbers kept short. */

export const OFD_NS = 'http://www.ofdspec.org/2016'

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  )
}

/** Millimetres to 3 decimals (a micrometre): short, and exact enough for any printer. */
export function num(v: number): string {
  const r = Math.round(v * 1000) / 1000
  return Object.is(r, -0) ? '0' : String(r)
}

export function nums(v: readonly number[]): string {
  return v.map(num).join(' ')
}

type Attrs = Readonly<Record<string, string | number | boolean | undefined>>

/** `<ofd:Name a="…">children</ofd:Name>`; children are already-escaped XML. */
export function el(
  name: string,
  attrs: Attrs = {},
  ...children: (string | false | undefined)[]
): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? num(v) : String(v))}"`)
    .join('')
  const body = children.filter((c): c is string => typeof c === 'string').join('')
  return body ? `<ofd:${name}${a}>${body}</ofd:${name}>` : `<ofd:${name}${a}/>`
}

export function textEl(name: string, text: string, attrs: Attrs = {}): string {
  return el(name, attrs, escapeXml(text))
}

export function xmlDocument(root: string): string {
  const withNs = root.replace(/^<ofd:(\w+)/, `<ofd:$1 xmlns:ofd="${OFD_NS}"`)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${withNs}`
}
