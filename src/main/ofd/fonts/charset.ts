/**
 * The characters the bundled fonts keep: GB 2312 (its 682 symbols and either all 6,763 hanzi or
 * level 1's 3,755 most common ones), ASCII,
 * Latin-1, general and CJK punctuation, full-width forms, units (㎡ ㎏) and symbols — what licence
 * faces are written in.
 * Anything rarer comes from an embedded font, the office's extra fonts or, on screen, a fallback.
 */
export function bundledCharset(level: 1 | 2 = 2): number[] {
  const out = new Set<number>()
  const gbk = new TextDecoder('gbk')
  const lastRow = level === 1 ? 0xd7 : 0xf7
  for (let hi = 0xa1; hi <= lastRow; hi++) {
    if (hi >= 0xaa && hi <= 0xaf) continue // unassigned rows of GB 2312
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const s = gbk.decode(Uint8Array.of(hi, lo))
      const cp = s.codePointAt(0)
      if (cp !== undefined && s !== '\ufffd' && [...s].length === 1) out.add(cp)
    }
  }
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0xa0, 0xff],
    [0x2000, 0x206f],
    [0x3000, 0x303f],
    [0xff00, 0xffef],
    [0x2460, 0x24ff],
    [0x2100, 0x218f], // ℃ № Ⅰ…Ⅻ
    [0x2190, 0x21ff],
    [0x2500, 0x25ff], // box drawing, □■○●
    [0x3200, 0x32ff], // ㈠ ㊣
    [0x3380, 0x33ff], // ㎡ ㎏ ㎜ (areas and weights on licences)
  ]
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) out.add(c)
  return [...out].sort((a, b) => a - b)
}
