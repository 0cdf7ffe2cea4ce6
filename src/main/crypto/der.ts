/**
 * ECDSA-style signatures as DER `SEQUENCE { r INTEGER, s INTEGER }` and back, for SM2 and ECDSA
 * alike. Parsing is strict: anything but exactly that shape is rejected.
 */

function integer(bytes: Uint8Array): Uint8Array {
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  const body = bytes.subarray(i)
  const pad = body[0]! & 0x80 ? 1 : 0
  const out = new Uint8Array(2 + pad + body.length)
  out[0] = 0x02
  out[1] = pad + body.length
  out.set(body, 2 + pad)
  return out
}

/** r‖s (each half the length) → DER. */
export function rawToDerSignature(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 132)
    throw new RangeError('raw signature length')
  const half = raw.length / 2
  const r = integer(raw.subarray(0, half))
  const s = integer(raw.subarray(half))
  const len = r.length + s.length
  const header = len < 0x80 ? Uint8Array.of(0x30, len) : Uint8Array.of(0x30, 0x81, len)
  const out = new Uint8Array(header.length + len)
  out.set(header, 0)
  out.set(r, header.length)
  out.set(s, header.length + r.length)
  return out
}

/** DER → r‖s with each half `size` bytes (32 for SM2 and P-256). Returns undefined when malformed. */
export function derToRawSignature(der: Uint8Array, size = 32): Uint8Array | undefined {
  let p = 0
  const readLength = (): number | undefined => {
    const first = der[p++]
    if (first === undefined) return undefined
    if (first < 0x80) return first
    if (first === 0x81) {
      const l = der[p++]
      return l !== undefined && l >= 0x80 ? l : undefined
    }
    return undefined
  }
  if (der[p++] !== 0x30) return undefined
  const seqLen = readLength()
  if (seqLen === undefined || p + seqLen !== der.length) return undefined
  const out = new Uint8Array(size * 2)
  for (const half of [0, 1]) {
    if (der[p++] !== 0x02) return undefined
    const len = readLength()
    if (len === undefined || len === 0 || p + len > der.length) return undefined
    let v = der.subarray(p, p + len)
    p += len
    if (v[0]! & 0x80) return undefined // negative
    if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined // non-minimal
    if (v[0] === 0 && v.length > 1) v = v.subarray(1)
    if (v.length > size) return undefined
    out.set(v, half * size + size - v.length)
  }
  return p === der.length ? out : undefined
}
