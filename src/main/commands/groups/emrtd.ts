/**
 * Passport and permit chip diagnostics for field engineers: MRZ parsing, BAC keys, reading a
 * chip from a PC/SC reader (or the built-in simulator), verifying raw files against CSCA
 * certificates, the CSCA trust store, and a simulated chip on the vpcd virtual reader.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CounterError } from '../../../shared/errors'
import { maskIdNumber } from '../../../shared/ids'
import { openDatabase } from '../../db'
import {
  anchorsFrom,
  atrExtendedLength,
  bacKeys,
  buildDocument,
  certificatesInFile,
  CscaStore,
  hex,
  LDS_FILES,
  mrzDateToIso,
  mrzInformation,
  parseMrz,
  parseMrzInfo,
  pcscTransport,
  pickReader,
  readChip,
  type CardTransport,
  type LdsFileName,
} from '../../devices/emrtd'
import { cardPresent, PcscContext, STATE } from '../../devices/transports/pcsc'
import {
  chipImage,
  EmrtdChip,
  SimulatedReader,
  TRAINING_DOCUMENTS,
  trainingDocument,
  VpcdCard,
} from '../../training'
import { printJson, type Command, type ParsedArgs } from '../command'

const str = (args: ParsedArgs, key: string): string | undefined => {
  const v = args.values[key]
  return typeof v === 'string' ? v : undefined
}

function usageError(text: string): CounterError {
  return new CounterError('CONFIG_INVALID', {
    params: { file: '命令行', key: text, problem: '缺少或有误' },
  })
}

function mrzInfoArg(args: ParsedArgs): string {
  const info = str(args, 'mrz-info') ?? args.positionals[0]
  if (!info) throw usageError('--mrz-info')
  const f = parseMrzInfo(info)
  return mrzInformation(f.documentNumber.replace(/<+$/, ''), f.birthDate, f.expiryDate)
}

async function withTransport<T>(
  reader: string,
  run: (t: CardTransport, atr: Uint8Array) => Promise<T>,
): Promise<T> {
  const sim = /^sim:(.+)$/.exec(reader)
  if (sim) {
    const spec = trainingDocument(sim[1]!)
    if (!spec)
      throw new CounterError('EMRTD_UNKNOWN_TRAINING_DOCUMENT', { params: { id: sim[1]! } })
    const slot = new SimulatedReader()
    const chip = new EmrtdChip(await chipImage(spec))
    slot.place(chip)
    return run(slot.transport(), chip.atr())
  }
  const ctx = await PcscContext.establish()
  try {
    const readers = await ctx.readers()
    const name = pickReader(readers, reader)
    if (!name)
      throw new CounterError('EMRTD_NO_READER', { detail: `readers: ${readers.join(' | ')}` })
    const { states } = await ctx.waitForChange(
      [{ reader: name, state: STATE.UNAWARE, atr: new Uint8Array(0) }],
      0,
    )
    if (!cardPresent(states[0]!.state))
      throw new CounterError('EMRTD_CARD_REMOVED', { detail: 'no card on the reader' })
    const card = await ctx.connect(name)
    try {
      return await run(pcscTransport(card), card.atr)
    } finally {
      await card.disconnect()
    }
  } finally {
    await ctx.release()
  }
}

function dataDirArg(args: ParsedArgs): string {
  const dataDir = str(args, 'data-dir')
  if (!dataDir) throw usageError('--data-dir')
  return dataDir
}

/** The CSCA trust store in the app's database in `dataDir`, closed after `use`. */
function withCscaStore<T>(dataDir: string, use: (store: CscaStore) => T): T {
  const db = openDatabase({ file: join(dataDir, 'counterdesk.db') })
  try {
    return use(new CscaStore(db))
  } finally {
    db.close()
  }
}

function loadAnchors(file: string | undefined) {
  if (!file) return anchorsFrom([])
  return anchorsFrom(certificatesInFile(new Uint8Array(readFileSync(file))))
}

function passiveJson(p: ReturnType<typeof buildDocument>['passive']) {
  return {
    valid: p.valid,
    verdict: p.verdict,
    dataGroups: p.dataGroups,
    signatureValid: p.signatureValid,
    chain: p.chain,
    algorithm: p.algorithm ?? null,
    signer: p.signer ?? null,
    csca: p.csca ?? null,
    reason: p.reason ?? null,
  }
}

export const mrzCommands: Command[] = [
  {
    path: ['mrz', 'parse'],
    usage: 'mrz parse <line> [<line>…]',
    summary: '解析机读码（TD1/TD2/TD3、CS/CD、CR/CT），逐项校验',
    run({ positionals }, ctx) {
      if (positionals.length === 0) {
        ctx.stderr('用法: mrz parse <line> [<line>…]\n')
        return 64
      }
      const m = parseMrz(positionals)
      printJson(ctx, {
        format: m.format,
        documentCode: m.documentCode,
        issuingState: m.issuingState ?? null,
        documentNumber: m.documentNumber,
        birthDate: mrzDateToIso(m.birthDate, 'birth') ?? m.birthDate,
        expiryDate: mrzDateToIso(m.expiryDate, 'expiry') ?? m.expiryDate,
        birthDateRaw: m.birthDate,
        expiryDateRaw: m.expiryDate,
        sex: m.sex,
        nationality: m.nationality ?? null,
        surname: m.surname ?? null,
        givenNames: m.givenNames ?? null,
        ...(m.chineseName ? { chineseName: m.chineseName } : {}),
        ...(m.regionalIdNumber ? { regionalIdNumber: m.regionalIdNumber } : {}),
        valid: m.valid,
        checks: m.checks,
        mrzInfo: m.mrzInfo,
      })
      return 0
    },
  },
]

export const emrtdCommands: Command[] = [
  {
    path: ['emrtd', 'keys'],
    usage: 'emrtd keys --mrz-info <号码+校验位+出生日期+校验位+有效期+校验位>',
    summary: '由机读码信息计算 BAC 密钥 Kseed、Kenc、Kmac',
    options: { 'mrz-info': { type: 'string' } },
    run(args, ctx) {
      const k = bacKeys(mrzInfoArg(args))
      printJson(ctx, { kseed: hex(k.kseed), kenc: hex(k.kenc), kmac: hex(k.kmac) })
      return 0
    },
  },
  {
    path: ['emrtd', 'readers'],
    usage: 'emrtd readers',
    summary: '列出 PC/SC 读卡器及其上是否有卡',
    async run(_args, ctx) {
      const pcsc = await PcscContext.establish()
      try {
        const readers = await pcsc.readers()
        const { states } =
          readers.length > 0
            ? await pcsc.waitForChange(
                readers.map((r) => ({ reader: r, state: STATE.UNAWARE, atr: new Uint8Array(0) })),
                0,
              )
            : { states: [] }
        printJson(ctx, {
          readers: states.map((s) => ({
            name: s.reader,
            card: cardPresent(s.state),
            atr: s.atr.length ? hex(s.atr) : null,
            extendedLength: s.atr.length ? (atrExtendedLength(s.atr) ?? null) : null,
          })),
        })
        return 0
      } finally {
        await pcsc.release()
      }
    },
  },
  {
    path: ['emrtd', 'read'],
    usage:
      'emrtd read --reader <名称|sim:证件> (--mrz-info <…> | --can <CAN>) [--out <目录>] [--csca <文件>] [--strategy adaptive|fixed] [--no-pace]',
    summary:
      '读取护照/通行证芯片：访问控制、全部文件、芯片与主动认证、被动认证；输出 JSON 与原始文件',
    options: {
      reader: { type: 'string' },
      'mrz-info': { type: 'string' },
      can: { type: 'string' },
      out: { type: 'string' },
      csca: { type: 'string' },
      strategy: { type: 'string' },
      'no-pace': { type: 'boolean' },
    },
    async run(args, ctx) {
      const reader = str(args, 'reader')
      if (!reader) throw usageError('--reader')
      const can = str(args, 'can')
      const key = can
        ? { kind: 'can' as const, can }
        : { kind: 'mrz' as const, mrzInfo: mrzInfoArg(args) }
      const strategy = str(args, 'strategy') === 'fixed' ? 'fixed' : 'adaptive'
      const anchors = loadAnchors(str(args, 'csca'))
      const started = performance.now()
      const result = await withTransport(reader, async (transport, atr) => {
        const chip = await readChip(transport, {
          key,
          strategy,
          pace: args.values['no-pace'] !== true,
          extendedLength: transport.extendedApdu === false ? false : atrExtendedLength(atr),
        })
        return { chip, atr }
      })
      const ms = Math.round(performance.now() - started)
      const { chip } = result
      const doc = buildDocument(chip.files, anchors)
      const out = str(args, 'out')
      if (out) {
        mkdirSync(out, { recursive: true })
        for (const [name, bytes] of chip.files) writeFileSync(join(out, name), bytes)
        if (chip.cardAccess) writeFileSync(join(out, 'CardAccess'), chip.cardAccess)
      }
      printJson(ctx, {
        reader,
        atr: hex(result.atr),
        accessControl: chip.accessControl,
        paceFallback: chip.paceFallback ?? null,
        apdus: chip.apduCount,
        bytes: chip.bytesTransferred,
        ms,
        document: {
          format: doc.mrz.format,
          documentCode: doc.mrz.documentCode,
          documentNumber: maskIdNumber(doc.mrz.documentNumber),
          surname: doc.mrz.surname ?? null,
          givenNames: doc.mrz.givenNames ?? null,
          chineseName: doc.dg11?.fullName ?? doc.mrz.chineseName ?? null,
          birthDate: doc.dg11?.birthDate ?? mrzDateToIso(doc.mrz.birthDate, 'birth'),
          expiryDate: mrzDateToIso(doc.mrz.expiryDate, 'expiry'),
          mrzValid: doc.mrz.valid,
          faces: doc.faces.map((f) => ({
            format: f.format,
            width: f.width,
            height: f.height,
            bytes: f.data.length,
          })),
        },
        passive: passiveJson(doc.passive),
        active: chip.activeAuthentication,
        chipAuthentication: chip.chipAuthentication,
        warnings: doc.warnings,
        files: Object.fromEntries(
          [...chip.files].map(([n, b]) => [n, Buffer.from(b).toString('base64')]),
        ),
        ...(out ? { out } : {}),
      })
      return 0
    },
  },
  {
    path: ['emrtd', 'verify'],
    usage: 'emrtd verify --dir <目录> --csca <PEM 文件或主列表>',
    summary: '对目录中的芯片原始文件（COM、SOD、DG1…）做被动认证',
    options: { dir: { type: 'string' }, csca: { type: 'string' } },
    run(args, ctx) {
      const dir = str(args, 'dir')
      if (!dir) throw usageError('--dir')
      const present = new Set(readdirSync(dir))
      const files = new Map<LdsFileName, Uint8Array>()
      for (const { name } of LDS_FILES)
        if (present.has(name)) files.set(name, new Uint8Array(readFileSync(join(dir, name))))
      if (!files.has('SOD'))
        throw new CounterError('EMRTD_FILE_NOT_FOUND', { params: { file: 'SOD' } })
      const doc = buildDocument(files, loadAnchors(str(args, 'csca')))
      printJson(ctx, { passive: passiveJson(doc.passive) })
      return 0
    },
  },
  {
    path: ['emrtd', 'csca', 'import'],
    usage: 'emrtd csca import <文件> --data-dir <数据目录>',
    summary: '将 ICAO 主列表或 PEM/DER 证书导入 CSCA 信任库',
    options: { 'data-dir': { type: 'string' } },
    run(args, ctx) {
      const dataDir = dataDirArg(args)
      const file = args.positionals[0]
      if (!file) throw usageError('<文件>')
      printJson(
        ctx,
        withCscaStore(dataDir, (store) =>
          store.importFile(new Uint8Array(readFileSync(file)), file),
        ),
      )
      return 0
    },
  },
  {
    path: ['emrtd', 'csca', 'list'],
    usage: 'emrtd csca list --data-dir <数据目录>',
    summary: '列出 CSCA 信任库中的证书',
    options: { 'data-dir': { type: 'string' } },
    run(args, ctx) {
      printJson(
        ctx,
        withCscaStore(dataDirArg(args), (store) => store.list()),
      )
      return 0
    },
  },
  {
    path: ['emrtd', 'sim'],
    usage: 'emrtd sim --document <证件> [--port 35963] [--slow-ms <n>] [--no-extended]',
    summary: '在 vpcd 虚拟读卡器上放置模拟芯片（测试与演示用）',
    options: {
      document: { type: 'string' },
      port: { type: 'string' },
      'slow-ms': { type: 'string' },
      'no-extended': { type: 'boolean' },
    },
    async run(args, ctx) {
      const id = str(args, 'document') ?? 'passport-liu'
      const spec = trainingDocument(id)
      if (!spec)
        throw new CounterError('EMRTD_UNKNOWN_TRAINING_DOCUMENT', {
          params: { id },
          detail: TRAINING_DOCUMENTS.map((d) => d.id).join(', '),
        })
      const image = await chipImage(spec)
      const card = new VpcdCard(
        new EmrtdChip(image, { noExtendedLength: args.values['no-extended'] === true }),
        {
          port: Number(str(args, 'port') ?? 35963),
          delayMs: Number(str(args, 'slow-ms') ?? 0),
        },
      )
      await card.insert()
      printJson(ctx, {
        document: id,
        mrzInfo: image.mrzInfo,
        printedMrz: image.printedMrz,
        can: image.can,
      })
      ctx.stderr('模拟芯片已放到 vpcd 虚拟读卡器上，按 Ctrl-C 移开。\n')
      await ctx.interrupted
      await card.remove()
      return 0
    },
  },
]
