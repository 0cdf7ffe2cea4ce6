/**
 * `npm run bench:emrtd` — reading a chip's files with secure messaging: COM, DG1, DG2 (≈ 20 KB),
 * DG14 and SOD, on the simulator behind a latency model (a fixed cost per APDU for reader and chip,
 * plus every byte at the RF bit rate; ISO 14443 moves about 10 bits per byte).
 *
 *  (a) fixed: SELECT by FID, 8 bytes ahead, then 0xDF blocks — the common library default;
 *  (b) adaptive: SFI read-ahead with the largest short block, then extended length where allowed.
 *
 * Each figure is the median of RUNS runs: APDUs, the modeled link time, the host's own time
 * (secure messaging on both sides, parsing), their sum, and the RF transfer time of the bytes on
 * the wire. Targets: with extended length (b) uses ≤ 0.5× the APDUs of (a); without it (b) is
 * never slower than (a); (b)'s total stays within 1.3× of the RF transfer time.
 */
import {
  ApduChannel,
  atrExtendedLength,
  bacKeys,
  FileReader,
  ldsFile,
  performBac,
  type LdsFileName,
  type ReadStrategy,
} from '../../src/main/devices/emrtd'
import {
  chipImage,
  drawFace,
  EmrtdChip,
  SimulatedReader,
  trainingDocument,
  type ChipImage,
} from '../../src/main/training/emrtd-sim'
import { buildCom, buildDg2 } from '../../src/main/training/emrtd-sim/lds-builder'
import { encodeJpeg } from '../../src/main/devices/emrtd'

const RUNS = Number(process.env.RUNS ?? 7)
const FILES: LdsFileName[] = ['COM', 'DG1', 'DG2', 'DG14', 'SOD']
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number, d = 0) => n.toFixed(d)

async function benchImage(): Promise<ChipImage> {
  const base = await chipImage(trainingDocument('passport-liu')!)
  const look = {
    skin: [228, 190, 160],
    hair: [34, 28, 26],
    clothes: [40, 52, 78],
    longHair: true,
  } as const
  // A 20 KB face: the synthetic portrait at a passport photo's size.
  let q = 90
  let face = drawFace(look, 420, 540)
  let jpeg = encodeJpeg(face, q)
  while (jpeg.length > 21_000 && q > 40) jpeg = encodeJpeg(face, (q -= 5))
  while (jpeg.length < 19_000) {
    face = drawFace(look, face.width + 40, face.height + 52)
    jpeg = encodeJpeg(face, q)
  }
  const files = new Map(base.files)
  files.set(
    'DG2',
    buildDg2({ image: jpeg, format: 'jpeg', width: face.width, height: face.height, sex: 'F' }),
  )
  files.set('COM', buildCom(['DG1', 'DG2', 'DG14']))
  return { ...base, files }
}

interface Run {
  apdus: number
  linkMs: number
  hostMs: number
  totalMs: number
  rfMs: number
  bytes: number
}

async function once(
  img: ChipImage,
  strategy: ReadStrategy,
  extendedChip: boolean,
  apduMs: number,
  bitRate: number,
): Promise<Run> {
  const reader = new SimulatedReader({ apduMs, bitRate, mode: 'account' }, true)
  const chip = new EmrtdChip(img, { noExtendedLength: !extendedChip })
  reader.place(chip)
  const channel = new ApduChannel(reader.transport())
  await channel.send({
    cla: 0,
    ins: 0xa4,
    p1: 4,
    p2: 0x0c,
    data: Uint8Array.of(0xa0, 0, 0, 2, 0x47, 0x10, 1),
  })
  await performBac(channel, bacKeys(img.mrzInfo))
  reader.resetCounters()
  const before = { apdus: channel.apduCount, bytes: channel.bytesSent + channel.bytesReceived }
  const fr = new FileReader(channel, { strategy, extendedLength: atrExtendedLength(chip.atr()) })
  const t0 = performance.now()
  for (const f of FILES) {
    const bytes = await fr.read(ldsFile(f))
    if (bytes.length !== img.files.get(f)!.length) throw new Error(`${f} read wrong`)
  }
  const hostMs = performance.now() - t0
  return {
    apdus: channel.apduCount - before.apdus,
    linkMs: reader.modeledMs,
    hostMs,
    totalMs: hostMs + reader.modeledMs,
    rfMs: reader.rfOnlyMs,
    bytes: channel.bytesSent + channel.bytesReceived - before.bytes,
  }
}

async function measure(
  img: ChipImage,
  strategy: ReadStrategy,
  extendedChip: boolean,
  apduMs: number,
  bitRate: number,
): Promise<Run> {
  await once(img, strategy, extendedChip, apduMs, bitRate) // warm-up
  const runs: Run[] = []
  for (let i = 0; i < RUNS; i++) runs.push(await once(img, strategy, extendedChip, apduMs, bitRate))
  const m = (k: keyof Run) => median(runs.map((r) => r[k]))
  return {
    apdus: m('apdus'),
    linkMs: m('linkMs'),
    hostMs: m('hostMs'),
    totalMs: m('totalMs'),
    rfMs: m('rfMs'),
    bytes: m('bytes'),
  }
}

const img = await benchImage()
const payload = FILES.reduce((n, f) => n + img.files.get(f)!.length, 0)
console.log(
  `eMRTD read benchmark — files ${FILES.join(' + ')} = ${payload} bytes (DG2 ${img.files.get('DG2')!.length}), BAC / 3DES secure messaging, median of ${RUNS}`,
)
console.log('')
const header = [
  'chip',
  'RF kbit/s',
  'ms/APDU',
  'strategy',
  'APDUs',
  'wire bytes',
  'link ms',
  'host ms',
  'total ms',
  'RF ms',
  'total/RF',
]
console.log(header.join('\t'))
const verdicts: string[] = []
for (const extendedChip of [true, false]) {
  for (const bitRate of [106_000, 424_000]) {
    for (const apduMs of [3, 10]) {
      const a = await measure(img, 'fixed', extendedChip, apduMs, bitRate)
      const b = await measure(img, 'adaptive', extendedChip, apduMs, bitRate)
      for (const [name, r] of [
        ['(a) fixed 0xDF', a],
        ['(b) adaptive', b],
      ] as const) {
        console.log(
          [
            extendedChip ? 'extended' : 'short only',
            bitRate / 1000,
            apduMs,
            name,
            r.apdus,
            r.bytes,
            fmt(r.linkMs),
            fmt(r.hostMs, 1),
            fmt(r.totalMs),
            fmt(r.rfMs),
            (r.totalMs / r.rfMs).toFixed(2),
          ].join('\t'),
        )
      }
      const label = `${extendedChip ? 'extended' : 'short only'}, ${bitRate / 1000} kbit/s, ${apduMs} ms/APDU`
      if (extendedChip) {
        const ratio = b.apdus / a.apdus
        verdicts.push(
          `${label}: APDUs (b)/(a) = ${ratio.toFixed(2)} (target ≤ 0.50) ${ratio <= 0.5 ? 'met' : 'NOT met'}`,
        )
      } else {
        const ratio = b.totalMs / a.totalMs
        verdicts.push(
          `${label}: time (b)/(a) = ${ratio.toFixed(2)} (target ≤ 1.00) ${ratio <= 1 ? 'met' : 'NOT met'}`,
        )
      }
      const rf = b.totalMs / b.rfMs
      verdicts.push(
        `${label}: (b) total/RF = ${rf.toFixed(2)} (target ≤ 1.30) ${rf <= 1.3 ? 'met' : 'NOT met'}`,
      )
    }
  }
}
console.log('')
for (const v of verdicts) console.log(v)
