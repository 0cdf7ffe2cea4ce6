/**
 * `npm run bench:ofd`: the OFD module's speed on a one-page signed licence, as ratios against
 * parsing alone (zip + XML → document model) measured in the same process.
 *
 * Targets (issue 6): open + render the first page, median < 150 ms; verify one seal < 50 ms.
 * Every timed verification must find the seal valid (a check that fails early would be fast for
 * the wrong reason) and every render must draw something; the process exits 1 when a result is
 * wrong or a target is missed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildLicenceOfd,
  createFontLibrary,
  loadLicenceTemplate,
  makeSealV4,
  openOfd,
  rasterisePage,
  renderPage,
  signOfd,
  verifyOfd,
} from '../../src/main/ofd'
import { sm2PublicKeyFromPrivate } from '../../src/main/crypto'
import type { RenderPage, SealVerification } from '../../src/shared/domain'
import { issueSm2Certificate, softwareSealSigner } from '../../src/main/ofd'
import { fixtureKey, fixturePki } from '../fixtures/ofd/pki'

const root = join(import.meta.dirname, '..', '..')
const resourcesDir = join(root, 'resources')
const licence = new Uint8Array(
  readFileSync(join(root, 'test', 'fixtures', 'ofd', 'licence-v4.ofd')),
)
const fonts = createFontLibrary({ resourcesDir })
const pki = await fixturePki()
const trust = { certificates: [pki.root.certificate] }

async function measure(
  runs: number,
  fn: () => Promise<unknown> | unknown,
): Promise<{ median: number; p95: number }> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return {
    median: times[Math.floor(times.length / 2)]!,
    p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!,
  }
}

// First use in a fresh process: font files parsed, the subsetter compiled.
const coldStart = performance.now()
renderPage(await openOfd(licence), 0, { fonts })
const cold = performance.now() - coldStart

// The first seal check pays for the certificate chain and the seal maker's signature; later
// checks of licences from the same issuer reuse those results.
/** A timed verification counts only if it found every seal valid. */
function mustBeValid(result: SealVerification): SealVerification {
  if (!result.allValid || result.signatures.length !== 1)
    throw new Error(
      `bench licence did not verify: ${result.signatures.map((s) => `${s.status}/${s.reason}`).join(', ') || 'no signatures'}`,
    )
  return result
}
/** A timed render counts only if it drew the page. */
function mustDraw(page: RenderPage): RenderPage {
  if (page.ops.length === 0 || Object.keys(page.glyphs).length === 0)
    throw new Error('bench licence rendered an empty page')
  return page
}

const firstVerifyStart = performance.now()
mustBeValid(await verifyOfd(await openOfd(licence), { trust }))
const firstVerify = performance.now() - firstVerifyStart

const parse = await measure(40, async () => (await openOfd(licence)).page(0))
const render = await measure(40, async () =>
  mustDraw(renderPage(await openOfd(licence), 0, { fonts })),
)
const raster = await measure(20, async () =>
  rasterisePage(mustDraw(renderPage(await openOfd(licence), 0, { fonts })), { dpi: 96 }),
)
const opened = await openOfd(licence)
const verify = await measure(40, async () => mustBeValid(await verifyOfd(opened, { trust })))
const openVerify = await measure(40, async () =>
  mustBeValid(await verifyOfd(await openOfd(licence), { trust })),
)

const template = await loadLicenceTemplate(resourcesDir, 'generic-licence')
const seal = await makeSealV4(
  {
    esId: 'B',
    vendorId: 'bench',
    type: 1,
    name: '基准测试印章',
    signerCerts: [pki.signer.certificate],
    createDate: pki.notBefore,
    validStart: pki.notBefore,
    validEnd: pki.notAfter,
    picture: { type: 'PNG', data: new Uint8Array(0), width: 40, height: 40 },
  },
  pki.maker.signer,
)
const fields = {
  licenceName: '机动车驾驶证',
  licenceNumber: '410105197805160032',
  holderName: '张建国',
  holderCode: '410105197805160032',
  issuer: '郑州市公安局交通警察支队',
  issueDate: '2020年05月16日',
  validity: '2020年05月16日至2030年05月16日',
  identifier: '1.2.156.3005.2.11100000000013338W032.11410100MB17845054.2020118342.001.7',
}
const write = await measure(15, async () => {
  const built = await buildLicenceOfd({ template, fields, qr: fields.identifier }, { fonts })
  return signOfd(built.bytes, { signer: pki.signer.signer, seal, stamp: built.stamp })
})

// Licences from issuers not seen before: each check verifies the document's signature, the
// seal maker's and the issuer's certificate, none of them remembered yet.
const rootName = [
  ['C', 'CN'],
  ['O', 'CounterDesk 测试'],
  ['CN', 'CounterDesk 测试根证书'],
] as const
const newIssuers: Uint8Array[] = []
for (let i = 0; i < 9; i++) {
  const key = fixtureKey(`bench issuer ${i}`)
  const certificate = issueSm2Certificate(
    {
      serial: Uint8Array.of(0x40 + i),
      issuer: rootName,
      subject: [['CN', `基准测试发证机关 ${i}`]],
      notBefore: pki.notBefore,
      notAfter: pki.notAfter,
      publicKey: sm2PublicKeyFromPrivate(key),
      ca: false,
    },
    pki.root.key,
  )
  const issuerSeal = await makeSealV4(
    {
      esId: `B${i}`,
      vendorId: 'bench',
      type: 1,
      name: `基准测试印章 ${i}`,
      signerCerts: [certificate],
      createDate: pki.notBefore,
      validStart: pki.notBefore,
      validEnd: pki.notAfter,
      picture: { type: 'PNG', data: new Uint8Array(0), width: 40, height: 40 },
    },
    pki.maker.signer,
  )
  const built = await buildLicenceOfd({ template, fields }, { fonts })
  newIssuers.push(
    await signOfd(built.bytes, {
      signer: softwareSealSigner(key, certificate),
      seal: issuerSeal,
      stamp: built.stamp,
    }),
  )
}
let issuerIndex = 0
const newIssuer = await measure(newIssuers.length, async () =>
  mustBeValid(await verifyOfd(await openOfd(newIssuers[issuerIndex++]!), { trust })),
)

const base = parse.median
const missed: string[] = []
const row = (name: string, m: { median: number; p95: number }, target?: number) => {
  const met = target === undefined || m.median < target
  if (!met) missed.push(`${name}: median ${m.median.toFixed(1)} ms, target < ${target} ms`)
  return `${name.padEnd(44)} ${m.median.toFixed(1).padStart(8)} ms ${m.p95.toFixed(1).padStart(8)} ms ${(m.median / base).toFixed(2).padStart(7)}×${
    target ? `   target < ${target} ms: ${met ? 'met' : 'NOT MET'}` : ''
  }`
}

console.log(
  `OFD benchmark — ${licence.length} byte one-page signed licence (Node ${process.version})`,
)
console.log(
  `${'operation'.padEnd(44)} ${'median'.padStart(11)} ${'p95'.padStart(11)} ${'vs parse'.padStart(8)}`,
)
console.log(row('parse alone (zip + XML → model), baseline', parse))
console.log(row('open + render first page (draw list)', render, 150))
console.log(row('open + render + rasterise at 96 dpi', raster))
console.log(row('verify one seal (document open)', verify, 50))
console.log(row('open + verify one seal', openVerify))
console.log(row('open + verify, issuer not seen before', newIssuer, 50))
console.log(row('write + sign a licence (subset fonts, QR)', write))
console.log(`first render in a fresh process (fonts loaded): ${cold.toFixed(0)} ms`)
console.log(
  `first seal check (open + verify, no remembered certificate checks): ${firstVerify.toFixed(0)} ms`,
)
if (missed.length) {
  console.error(`targets missed:\n  ${missed.join('\n  ')}`)
  process.exitCode = 1
}
