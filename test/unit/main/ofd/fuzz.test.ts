/**
 * Fuzzing every path that reads bytes from outside: the zip, the XML parts, the ASN.1 of signed
 * values, seals, certificates and timestamps. Whatever the input, the result is a document or a
 * typed CounterError (OFD_*), within bounded time and memory; nothing else may escape. Seeded, so
 * a failure reproduces.
 *
 * The bounds are for hangs, bombs and leaks, not speed: a case takes milliseconds and a few MB,
 * the limits are orders of magnitude above that and far below what a runaway loop, an inflated
 * bomb or an unbounded cache would reach.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { unzipSync, zipSync } from 'fflate'
import { beforeAll, describe, expect, it } from 'vitest'
import { isCounterError } from '../../../../src/shared/errors'
import {
  openOfd,
  parseCertificate,
  parseSeal,
  parseSesSignature,
  renderPage,
  verifyOfd,
} from '../../../../src/main/ofd'
import { asn1 } from '../../../../src/main/pki'
import { decode, der, items, type Tlv } from '../../../../src/main/ofd/seal/der'
import { checkTimestamp } from '../../../../src/main/ofd/seal/timestamp'
import { fixturePki } from '../../../fixtures/ofd/pki'
import { timestampToken } from '../../../fixtures/ofd/timestamp'
import { edge, fixture, fonts } from './helpers'

/** Run sizes: as many cases as keep this file within a few seconds on the shared machine. */
const ZIP_CASES = 200
const XML_CASES = 240
const ASN1_CASES = 2500
const TIMESTAMP_CASES = 500
const SIGNED_VALUE_CASES = 40

function rng(seed: number) {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x100000000
  }
}

type Outcome = 'ok' | string

/** Opens, renders every page and verifies; returns 'ok' or the error code. Anything else throws. */
async function exercise(bytes: Uint8Array): Promise<Outcome> {
  try {
    const doc = await openOfd(bytes, { name: 'fuzz.ofd' })
    for (let i = 0; i < Math.min(doc.pageCount, 3); i++) renderPage(doc, i, { fonts: fonts() })
    await verifyOfd(doc, { trust: { certificates: [] } })
    return 'ok'
  } catch (error) {
    if (isCounterError(error) && error.code.startsWith('OFD_')) return error.code
    throw error
  }
}

function mutateBytes(data: Uint8Array, r: () => number): Uint8Array {
  const out = data.slice()
  const kind = Math.floor(r() * 4)
  const at = Math.floor(r() * out.length)
  if (kind === 0)
    for (let k = 0; k < 1 + r() * 8; k++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256)
  else if (kind === 1) return out.subarray(0, at)
  else if (kind === 2)
    return new Uint8Array([
      ...out.subarray(0, at),
      ...out.subarray(Math.min(out.length, at + 1 + r() * 64)),
    ])
  else out.fill(Math.floor(r() * 256), at, Math.min(out.length, at + 1 + Math.floor(r() * 16)))
  return out
}

/**
 * Every variant of a DER structure with a SEQUENCE or SET, at any depth, cut short or missing
 * one element, the structures around it re-encoded: well-formed DER of the wrong shape, which
 * byte mutations rarely produce.
 */
function shortened(t: Tlv): Uint8Array[] {
  if (!t.constructed) return []
  const children = items(t)
  const raws = children.map((c) => c.raw)
  const variants = raws.flatMap((_, k) => [raws.slice(0, k), raws.filter((_, i) => i !== k)])
  return [
    ...variants.map((v) => asn1.der(t.tag, ...v)),
    ...children.flatMap((c, k) =>
      shortened(c).map((inner) => asn1.der(t.tag, ...raws.map((r, i) => (i === k ? inner : r)))),
    ),
  ]
}

const HOSTILE = [
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '<!ENTITY lol "lollollol">',
  '&e;',
  '&#0;',
  '<![CDATA[',
  '</ofd:Layer>',
  '<ofd:Layer>'.repeat(400),
  ' Boundary="0 0 1e400 5"',
  ' CTM="1e300 0 0 1e300 1e300 1e300"',
  ' DeltaX="g 4294967295 1e6"',
  ' Size="-5"',
  ' ResourceID="99999"',
  ' BaseLoc="../../../../etc/passwd"',
  ' BaseLoc="http://evil.example/x.xml"',
  '<ofd:TemplatePage ID="1" BaseLoc="Pages/Page_0/Content.xml"/>',
  '<ofd:Template TemplateID="1"/>',
  '\u0000',
  '<ofd:AbbreviatedData>' + 'A 1e308 1e308 0 1 1 NaN 5 '.repeat(50) + '</ofd:AbbreviatedData>',
]

function mutateXml(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length)
  switch (Math.floor(r() * 4)) {
    case 0:
      return text.slice(0, at) + HOSTILE[Math.floor(r() * HOSTILE.length)] + text.slice(at)
    case 1:
      return text.slice(0, at) + text.slice(at + Math.floor(r() * 40))
    case 2: {
      const tag = text.indexOf('<', at)
      return tag < 0 ? text : text.slice(0, tag) + text.slice(tag, tag + 80) + text.slice(tag)
    }
    default:
      return text.replace(
        /"(-?[\d.]+)"/,
        () => `"${['1e999', '-1', 'NaN', '99999999999', ''][Math.floor(r() * 5)]}"`,
      )
  }
}

/** A full collection, so heap figures hold live data only (V8's gc, exposed at run time). */
const gc = (() => {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
})()
/**
 * Collects until memory settles: V8 frees the memory of dead ArrayBuffers (zip entries, images)
 * after the collection that finds them dead, so one gc() alone can still count them.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
/** JS heap plus memory outside it (zip and image buffers live there). */
const memory = () => {
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}

const MiB = 1024 * 1024
/** One case: open, render up to three pages, verify — normally a few ms. */
const CASE_MS = 2_000
/** Memory one case may leave allocated when it returns (garbage included): normally a few MB. */
const CASE_BYTES = 48 * MiB
/** Memory a whole loop may still hold after a full collection: bounded caches, no leaks. */
const RETAINED_BYTES = 16 * MiB

/** Measures each case's time and memory, and what the loop retains. */
class Budget {
  worstMs = 0
  worstBytes = 0

  private constructor(private readonly start: number) {}

  static async start(): Promise<Budget> {
    await settle()
    return new Budget(memory())
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    const bytes = memory()
    const start = performance.now()
    const result = await fn()
    this.worstMs = Math.max(this.worstMs, performance.now() - start)
    this.worstBytes = Math.max(this.worstBytes, memory() - bytes)
    return result
  }

  async check(): Promise<void> {
    await settle()
    const retained = memory() - this.start
    const mb = (n: number) => `${(n / MiB).toFixed(1)} MiB`
    expect(this.worstMs, `slowest case ${this.worstMs.toFixed(0)} ms`).toBeLessThan(CASE_MS)
    expect(this.worstBytes, `largest case ${mb(this.worstBytes)}`).toBeLessThan(CASE_BYTES)
    expect(retained, `retained ${mb(retained)}`).toBeLessThan(RETAINED_BYTES)
  }
}

beforeAll(async () => {
  // Parsing the bundled faces is a one-off of the process, not of any case: load all four.
  for (const style of ['song', 'hei', 'kai', 'fang'] as const) fonts().bundled(style)
  for (const bytes of [fixture('licence-v4.ofd'), edge('resources'), edge('templates')])
    await exercise(bytes)
})

describe('fuzzing the OFD readers', { timeout: 60_000 }, () => {
  it('zip bytes: mutated packages open, fail with a typed error, never crash or hang', async () => {
    const r = rng(0x0fd1)
    const sources = [fixture('licence-v4.ofd'), edge('resources'), edge('templates')]
    const seen = new Map<string, number>()
    const budget = await Budget.start()
    for (let i = 0; i < ZIP_CASES; i++) {
      const bytes = mutateBytes(sources[i % sources.length]!, r)
      const outcome = await budget.run(() => exercise(bytes))
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1)
    }
    await budget.check()
    expect([...seen.keys()].every((k) => k === 'ok' || k.startsWith('OFD_'))).toBe(true)
    expect(seen.size).toBeGreaterThan(2)
  })

  it('XML parts: hostile and broken markup in every part', async () => {
    const r = rng(0x0fd2)
    const base = unzipSync(edge('resources'))
    const signed = unzipSync(fixture('licence-v4.ofd'))
    const parts = Object.keys(base).filter((k) => k.endsWith('.xml'))
    const signedParts = Object.keys(signed).filter((k) => k.endsWith('.xml'))
    const seen = new Set<string>()
    const budget = await Budget.start()
    for (let i = 0; i < XML_CASES; i++) {
      const useSigned = i % 3 === 0
      const files = { ...(useSigned ? signed : base) }
      const list = useSigned ? signedParts : parts
      const part = list[Math.floor(r() * list.length)]!
      files[part] = new TextEncoder().encode(mutateXml(new TextDecoder().decode(files[part]), r))
      const bytes = zipSync(files)
      seen.add(await budget.run(() => exercise(bytes)))
    }
    await budget.check()
    expect([...seen].filter((k) => k !== 'ok' && !k.startsWith('OFD_'))).toEqual([])
    expect(seen.size).toBeGreaterThan(1)
  })

  it('hostile documents: XXE, entity bombs, deep nesting, cycles, missing parts, huge numbers', async () => {
    const base = unzipSync(edge('templates'))
    const withPart = (part: string, xml: string) =>
      zipSync({ ...base, [part]: new TextEncoder().encode(xml) })
    const page = 'Doc_0/Pages/Page_0/Content.xml'
    const doc = 'Doc_0/Document.xml'
    const expectations: [Uint8Array, string][] = [
      [
        withPart(
          page,
          '<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><ofd:Page xmlns:ofd="x">&x;</ofd:Page>',
        ),
        'OFD_XML_FORBIDDEN',
      ],
      [
        withPart(
          doc,
          `<!DOCTYPE d [${Array.from({ length: 10 }, (_, i) => `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`).join('')}]><d>&a9;</d>`,
        ),
        'OFD_XML_FORBIDDEN',
      ],
      [
        withPart(
          page,
          `<ofd:Page xmlns:ofd="x"><ofd:Content><ofd:Layer>${'<ofd:PageBlock>'.repeat(5000)}${'</ofd:PageBlock>'.repeat(5000)}</ofd:Layer></ofd:Content></ofd:Page>`,
        ),
        'OFD_LIMIT_EXCEEDED',
      ],
      [
        withPart(
          page,
          `<ofd:Page xmlns:ofd="x"><ofd:Content><ofd:Layer>${'<ofd:PageBlock>'.repeat(100)}${'</ofd:PageBlock>'.repeat(100)}</ofd:Layer></ofd:Content></ofd:Page>`,
        ),
        'OFD_LIMIT_EXCEEDED',
      ],
      [
        withPart(
          page,
          '<ofd:Page xmlns:ofd="x"><ofd:Area><ofd:PhysicalBox>0 0 1e309 10</ofd:PhysicalBox></ofd:Area></ofd:Page>',
        ),
        'OFD_STRUCTURE_INVALID',
      ],
      [
        zipSync(Object.fromEntries(Object.entries(base).filter(([k]) => k !== doc))),
        'OFD_PART_MISSING',
      ],
      [
        zipSync(Object.fromEntries(Object.entries(base).filter(([k]) => k !== page))),
        'OFD_PART_MISSING',
      ],
      // A page that is its own template: drawn once, the cycle reported, no hang.
      [
        withPart(
          doc,
          new TextDecoder()
            .decode(base[doc])
            .replace('BaseLoc="Tpls/Tpl_1/Content.xml"', 'BaseLoc="Pages/Page_0/Content.xml"'),
        ),
        'ok',
      ],
    ]
    const budget = await Budget.start()
    for (const [bytes, code] of expectations) {
      expect(await budget.run(() => exercise(bytes))).toBe(code)
    }
    await budget.check()
  })

  it('ASN.1: mutated signed values, seals and certificates fail with typed errors', async () => {
    const r = rng(0x0fd3)
    const files = unzipSync(fixture('licence-v4.ofd'))
    const value = files['Doc_0/Signs/Sign_0/SignedValue.dat']!
    const ses = parseSesSignature(value)
    const inputs: [Uint8Array, (b: Uint8Array) => unknown][] = [
      [value, parseSesSignature],
      [ses.seal.raw, parseSeal],
      [ses.signerCert, parseCertificate],
      [
        unzipSync(fixture('licence-v1-bmp-seal.ofd'))['Doc_0/Signs/Sign_0/SignedValue.dat']!,
        parseSesSignature,
      ],
    ]
    const codes = new Set<string>()
    const budget = await Budget.start()
    for (let i = 0; i < ASN1_CASES; i++) {
      const [bytes, parse] = inputs[i % inputs.length]!
      const mutated = mutateBytes(bytes, r)
      await budget.run(() => {
        try {
          parse(mutated)
          codes.add('ok')
        } catch (error) {
          if (!isCounterError(error)) throw error
          codes.add(error.code)
        }
      })
    }
    await budget.check()
    expect([...codes].sort()).toEqual(
      expect.arrayContaining(['OFD_ASN1_MALFORMED', 'OFD_CERT_MALFORMED']),
    )
    expect(
      [...codes].every((c) => ['ok', 'OFD_ASN1_MALFORMED', 'OFD_CERT_MALFORMED'].includes(c)),
    ).toBe(true)
  })

  it('ASN.1: signed values and seals of the wrong shape fail with a typed error', () => {
    const v4 = unzipSync(fixture('licence-v4.ofd'))['Doc_0/Signs/Sign_0/SignedValue.dat']!
    const v1 = unzipSync(fixture('licence-v1-bmp-seal.ofd'))['Doc_0/Signs/Sign_0/SignedValue.dat']!
    const inputs: [Uint8Array, (b: Uint8Array) => unknown][] = [
      [v4, parseSesSignature],
      [v1, parseSesSignature],
      [parseSesSignature(v4).seal.raw, parseSeal],
      [parseSesSignature(v1).seal.raw, parseSeal],
    ]
    const codes = new Set<string>()
    let cases = 0
    for (const [bytes, parse] of inputs) {
      for (const short of shortened(decode(bytes))) {
        cases++
        try {
          parse(short)
          codes.add('ok')
        } catch (error) {
          if (!isCounterError(error)) throw error
          codes.add(error.code)
        }
      }
    }
    expect(cases).toBeGreaterThan(100)
    expect([...codes].sort()).toEqual(['OFD_ASN1_MALFORMED', 'ok'])
  })

  it('ASN.1: mutated timestamp tokens are judged, never thrown', async () => {
    const r = rng(0x0fd4)
    const pki = await fixturePki()
    const ses = parseSesSignature(
      unzipSync(fixture('licence-v4.ofd'))['Doc_0/Signs/Sign_0/SignedValue.dat']!,
    )
    const token = timestampToken({
      tsa: pki.maker,
      genTime: new Date('2024-05-01T01:31:00Z'),
      over: ses.signature,
    })
    const anchors = [parseCertificate(pki.root.certificate)]
    const trust = { anchors, chainTo: () => anchors }
    expect(checkTimestamp(token, ses.signature, trust).status).toBe('verified')
    const statuses = new Set<string>()
    const budget = await Budget.start()
    for (let i = 0; i < TIMESTAMP_CASES; i++) {
      const mutated = mutateBytes(token, r)
      statuses.add(await budget.run(() => checkTimestamp(mutated, ses.signature, trust).status))
    }
    await budget.check()
    expect(statuses).toContain('invalid')
    expect([...statuses].every((s) => ['verified', 'invalid', 'unsupported'].includes(s))).toBe(
      true,
    )
  })

  it('signed values in the package: mutated SES_Signature (with a timestamp) still give a result', async () => {
    const r = rng(0x0fd5)
    const pki = await fixturePki()
    const files = unzipSync(fixture('licence-v4.ofd'))
    const path = 'Doc_0/Signs/Sign_0/SignedValue.dat'
    const ses = parseSesSignature(files[path]!)
    const token = timestampToken({
      tsa: pki.maker,
      genTime: new Date('2024-05-01T01:31:00Z'),
      over: ses.signature,
    })
    const stamped = der.seq(
      ...items(decode(files[path]!)).map((t) => t.raw),
      der.explicit(0, der.bits(token)),
    )
    const statuses = new Set<string>()
    const budget = await Budget.start()
    for (let i = 0; i < SIGNED_VALUE_CASES; i++) {
      const bytes = zipSync({ ...files, [path]: mutateBytes(stamped, r) })
      const result = await budget.run(async () =>
        verifyOfd(await openOfd(bytes), { trust: { certificates: [pki.root.certificate] } }),
      )
      expect(result.signatures).toHaveLength(1)
      statuses.add(result.signatures[0]!.status)
    }
    await budget.check()
    expect(statuses).toContain('signature-invalid')
  })

  it('the budget can fail: a case that holds on to memory, or takes too long, is noticed', async () => {
    const held: Uint8Array[] = []
    const leaky = await Budget.start()
    await leaky.run(() => held.push(new Uint8Array(RETAINED_BYTES * 2).fill(1)))
    await expect(leaky.check()).rejects.toThrow(/retained/)
    held.length = 0
    const slow = await Budget.start()
    slow.worstMs = CASE_MS
    await expect(slow.check()).rejects.toThrow(/slowest case/)
  })

  it('ASN.1: strict DER only', () => {
    const v = unzipSync(fixture('licence-v4.ofd'))['Doc_0/Signs/Sign_0/SignedValue.dat']!
    const code = (b: Uint8Array) => {
      try {
        parseSesSignature(b)
        return 'ok'
      } catch (e) {
        return isCounterError(e) ? `${e.code}:${e.message}` : String(e)
      }
    }
    expect(code(v)).toBe('ok')
    expect(code(new Uint8Array([...v, 0]))).toMatch(/多余数据/)
    const indefinite = v.slice()
    indefinite[1] = 0x80
    expect(code(indefinite)).toMatch(/不定长/)
    // The same length written in a longer form than needed.
    const body = v.subarray(2 + (v[1]! & 0x7f))
    const n = body.length
    const longForm = new Uint8Array([
      0x30,
      0x84,
      n >>> 24,
      (n >>> 16) & 255,
      (n >>> 8) & 255,
      n & 255,
      ...body,
    ])
    expect(code(longForm)).toMatch(/最短形式/)
    expect(code(Uint8Array.of(0x1f, 0x81, 0x01, 0x00))).toMatch(/高位标签/)
    expect(code(Uint8Array.of(0x30, 0x85, 1, 0, 0, 0, 0))).toMatch(/长度过大/)
  })
})
