/** Big-endian unsigned integers ↔ bytes, and modular exponentiation, for the BigInt-based primitives. */

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

/** Fixed-length big-endian encoding; throws when the value does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative integer')
  const out = new Uint8Array(length)
  let v = value
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  if (v !== 0n) throw new RangeError('integer does not fit')
  return out
}

export function byteLengthOf(value: bigint): number {
  let n = 0
  for (let v = value; v > 0n; v >>= 8n) n++
  return n
}

export function bitLengthOf(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n
  let result = 1n
  let b = ((base % modulus) + modulus) % modulus
  let e = exponent
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus
    e >>= 1n
    b = (b * b) % modulus
  }
  return result
}

export function modInverse(value: bigint, modulus: bigint): bigint {
  let [a, b] = [((value % modulus) + modulus) % modulus, modulus]
  let [x0, x1] = [1n, 0n]
  while (b !== 0n) {
    const q = a / b
    ;[a, b] = [b, a - q * b]
    ;[x0, x1] = [x1, x0 - q * x1]
  }
  if (a !== 1n) throw new RangeError('not invertible')
  return ((x0 % modulus) + modulus) % modulus
}
