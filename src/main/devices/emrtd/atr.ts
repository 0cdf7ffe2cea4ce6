/**
 * What the ATR says about the chip: ISO 7816-4 card capabilities (compact-TLV tag 7 in the
 * historical bytes), whose third byte announces extended Lc/Le. Undefined when the ATR is silent.
 */
export function atrExtendedLength(atr: Uint8Array): boolean | undefined {
  if (atr.length < 2 || (atr[0] !== 0x3b && atr[0] !== 0x3f)) return undefined
  const t0 = atr[1]!
  const k = t0 & 0x0f
  let y = t0 >> 4
  let p = 2
  // Skip the interface bytes TA/TB/TC/TD of each group.
  for (let guard = 0; guard < 8; guard++) {
    let td: number | undefined
    for (let bit = 0; bit < 4; bit++) {
      if (y & (1 << bit)) {
        if (bit === 3) td = atr[p]
        p++
      }
    }
    if (td === undefined) break
    y = td >> 4
  }
  const hist = atr.subarray(p, p + k)
  if (hist.length < 1 || (hist[0] !== 0x00 && hist[0] !== 0x80)) return undefined
  // Category 00 keeps a 3-byte status indicator at the end.
  const end = hist[0] === 0x00 ? hist.length - 3 : hist.length
  for (let i = 1; i < end;) {
    const tag = hist[i]! >> 4
    const len = hist[i]! & 0x0f
    if (tag === 7 && len >= 3 && i + 3 < hist.length + 1) return (hist[i + 3]! & 0x40) !== 0
    i += 1 + len
  }
  return undefined
}
