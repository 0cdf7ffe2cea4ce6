/**
 * `archive print | batch | register | verify-qr | key`: paper archive copies from the command
 * line, on the app's own database and register (`--config`, `--data-dir` as the other local
 * commands). Copies made here are registered like the app's, under the operating-system user
 * as the one who printed them (role 命令行). Output is JSON; batch progress goes to stderr.
 */
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import {
  isCalendarDate,
  type BatchView,
  type Matter,
  type Orientation,
  type Paper,
} from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import { isLicenceIdShape } from '../../../shared/ids'
import {
  ArchiveService,
  configuredArchive,
  keyFingerprint,
  keyId,
  type ArchivePerson,
  type CopySource,
  type SealCheck,
} from '../../archive'
import { AuditLog } from '../../audit'
import { catalogueMustBeSigned } from '../../config'
import { createSealer, resolveDataKey } from '../../issuance'
import type { Db } from '../../db'
import {
  createLibraryClient,
  loadCatalogue,
  loadSealRoots,
  type LibraryClient,
} from '../../licences'
import { verifyOfd } from '../../ofd'
import { createLicenceFileSource, startSandboxLibrary, type SandboxLibrary } from '../../training'
import { printJson, type Command, type CommandContext, type ParsedArgs } from '../command'
import { localStore, openStoreDb, STORE_OPTIONS, type LocalStore } from './local-store'

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const list = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : []

const LAYOUT_OPTIONS = {
  paper: { type: 'string' },
  orientation: { type: 'string' },
  by: { type: 'string' },
} as const

function layout(args: ParsedArgs): { paper: Paper; orientation: Orientation } {
  const paper = (str(args.values.paper) ?? 'A4').toUpperCase()
  const orientation = str(args.values.orientation) ?? 'auto'
  if (paper !== 'A4' && paper !== 'A3') throw usage('--paper 应为 A4 或 A3')
  if (!['auto', 'portrait', 'landscape'].includes(orientation))
    throw usage('--orientation 应为 auto、portrait 或 landscape')
  return { paper, orientation: orientation as Orientation }
}

class UsageError extends Error {}
const usage = (message: string) => new UsageError(message)

/** `--from` / `--to`: days that exist, or a query would have no instant to start or end at. */
function checkDates(...values: unknown[]): void {
  for (const d of values)
    if (d !== undefined && !isCalendarDate(String(d))) throw usage('日期应为存在的 YYYY-MM-DD')
}

/** Whoever runs the CLI is on the copy and in the register, as the OS knows them. */
function cliActor(args: ParsedArgs): ArchivePerson {
  let user = 'unknown'
  try {
    user = userInfo().username
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
  return { name: str(args.values.by) ?? user, code: `cli:${user}`, role: 'cli' }
}

interface ArchiveEnv {
  readonly service: ArchiveService
  readonly store: LocalStore
  close(): Promise<void>
}

/**
 * The archive service on the app's database. The library is the configured one or, in training
 * mode, the sandbox with its signed training files (started only when a licence is fetched).
 */
async function openEnv(
  args: ParsedArgs,
  ctx: CommandContext,
  needLibrary: boolean,
): Promise<ArchiveEnv> {
  const store = localStore(args)
  const { config } = store
  const db: Db = openStoreDb(store)
  let sandbox: SandboxLibrary | undefined
  const trust: Uint8Array[] = [...loadSealRoots(config.licences.sealRoots)]
  let library: LibraryClient | undefined
  const maxFileBytes = config.licences.maxFileMb * 1024 * 1024
  try {
    if (config.library) {
      library = createLibraryClient({
        ...config.library,
        maxFileBytes,
        logger: store.logger.child('library'),
      })
    } else if (config.mode === 'training') {
      const files = createLicenceFileSource({ resourcesDir: ctx.resourcesDir })
      trust.push(...files.trustAnchors)
      if (needLibrary) {
        sandbox = await startSandboxLibrary({ fileFor: files.fileFor })
        library = createLibraryClient({
          baseUrl: sandbox.url,
          auth: { kind: 'token', accessId: sandbox.accessId, token: sandbox.token },
          timeoutMs: 15_000,
          retries: 1,
          maxFileBytes,
          logger: store.logger.child('library'),
        })
      }
    }
    let matters: () => readonly Matter[] = () => []
    try {
      const catalogue = loadCatalogue({
        file:
          config.catalogue.file ?? join(ctx.resourcesDir, 'catalogue', 'training-catalogue.json'),
        requireSignature: !!config.catalogue.file && catalogueMustBeSigned(config),
        trustedKeys: config.catalogue.trustedKeys,
        db,
        logger: store.logger.child('catalogue'),
      })
      matters = () => catalogue.matters()
    } catch {
      // Matter names are a courtesy on the copy; the code is printed when they are unknown.
    }
    const verifySeals: SealCheck = (doc) => verifyOfd(doc, { trust: { certificates: trust } })
    const service = new ArchiveService({
      db,
      ...configuredArchive(config),
      resourcesDir: ctx.resourcesDir,
      exportRoot: config.licences.exportDir ?? join(store.dataDir, 'exports'),
      ...(library ? { library } : {}),
      ...(config.library ? { libraryUrl: config.library.baseUrl } : {}),
      matters,
      verifySeals,
      audit: new AuditLog({
        db,
        terminal: config.terminal.id,
        retentionYears: config.audit.retentionYears,
      }),
      logger: store.logger.child('archive'),
      // The app's data key keeps the QR signing key sealed, as in the app.
      sealer: () =>
        createSealer(
          resolveDataKey({
            ...(config.issuance.dataKey ? { configured: config.issuance.dataKey } : {}),
            ...(process.env.COUNTERDESK_DATA_KEY ? { env: process.env.COUNTERDESK_DATA_KEY } : {}),
            training: config.mode === 'training',
            dataDir: store.dataDir,
          }),
        ),
    })
    return {
      service,
      store,
      async close() {
        await service.batches.settle()
        await sandbox?.close()
        db.close()
      },
    }
  } catch (error) {
    await sandbox?.close()
    db.close()
    throw error
  }
}

function fail(ctx: CommandContext, command: string, error: UsageError): number {
  ctx.stderr(`${error.message}\n用法: ${command}\n`)
  return 64
}

const PRINT_USAGE =
  'archive print --licence <标识|文件.ofd> --out <文件.pdf> [--serial 流水号] [--matter 事项编码] [--paper A4|A3] [--orientation auto|portrait|landscape] [--by 姓名] [--config f] [--data-dir d]'
const BATCH_USAGE =
  'archive batch [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--matter 编码] [--serial 流水号]… [--licence 标识]… [--combined] [--paper A4|A3] | --resume <批次号> | --list'
const REGISTER_USAGE =
  'archive register [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--serial 流水号] [--identifier 标识] [--limit n]'

function progressLine(v: BatchView): string {
  const pct = v.total ? Math.floor(((v.done + v.failed) * 100) / v.total) : 100
  return `[${v.done + v.failed}/${v.total} ${pct}%] ${v.state}${v.current ? ` · ${v.current}` : ''}${v.failed ? ` · 失败 ${v.failed}` : ''}\n`
}

export const archiveCommands: Command[] = [
  {
    path: ['archive', 'print'],
    usage: PRINT_USAGE,
    summary: '打印一份电子证照存档副本（PDF），登记存档编号',
    options: {
      ...STORE_OPTIONS,
      ...LAYOUT_OPTIONS,
      licence: { type: 'string' },
      out: { type: 'string' },
      serial: { type: 'string' },
      matter: { type: 'string' },
    },
    async run(args, ctx) {
      const licence = str(args.values.licence)
      const out = str(args.values.out)
      let lay: { paper: Paper; orientation: Orientation }
      try {
        if (!licence || !out) throw usage('需要 --licence 与 --out')
        lay = layout(args)
      } catch (error) {
        if (error instanceof UsageError) return fail(ctx, PRINT_USAGE, error)
        throw error
      }
      const serial = str(args.values.serial)
      const isFile = !isLicenceIdShape(licence) || existsSync(licence)
      if (isFile && !existsSync(licence))
        throw new CounterError('ARCHIVE_SOURCE_NOT_FOUND', { params: { what: licence } })
      const source: CopySource = isFile
        ? {
            kind: 'file',
            path: resolve(licence),
            ...(serial ? { businessSerial: serial } : {}),
            ...(str(args.values.matter) ? { matterCode: str(args.values.matter)! } : {}),
          }
        : { kind: 'identifier', identifier: licence, ...(serial ? { businessSerial: serial } : {}) }
      const env = await openEnv(args, ctx, !isFile)
      try {
        const result = await env.service.printToFile(source, resolve(out), lay, cliActor(args))
        printJson(ctx, { out: resolve(out), ...result })
        return 0
      } finally {
        await env.close()
      }
    },
  },
  {
    path: ['archive', 'batch'],
    usage: BATCH_USAGE,
    summary: '批量打印存档副本：按时间段、事项或业务流水号；可中断后续打',
    options: {
      ...STORE_OPTIONS,
      ...LAYOUT_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      matter: { type: 'string' },
      serial: { type: 'string', multiple: true },
      licence: { type: 'string', multiple: true },
      combined: { type: 'boolean' },
      resume: { type: 'string' },
      list: { type: 'boolean' },
    },
    async run(args, ctx) {
      const v = args.values
      const serials = list(v.serial)
      const licences = list(v.licence)
      let lay: { paper: Paper; orientation: Orientation }
      try {
        lay = layout(args)
        checkDates(v.from, v.to)
        if (
          !v.list &&
          !v.resume &&
          !v.from &&
          !v.to &&
          !v.matter &&
          !serials.length &&
          !licences.length
        )
          throw usage(
            '请指定 --from/--to、--matter、--serial 或 --licence 之一，或 --resume / --list',
          )
      } catch (error) {
        if (error instanceof UsageError) return fail(ctx, BATCH_USAGE, error)
        throw error
      }
      const env = await openEnv(args, ctx, !v.list)
      try {
        const { service } = env
        if (v.list) {
          printJson(ctx, service.batches.list(50))
          return 0
        }
        const actor = cliActor(args)
        const started = str(v.resume)
          ? service.batches.resume(str(v.resume)!, actor)
          : service.startBatch(
              {
                ...(v.from || v.to || v.matter || serials.length
                  ? {
                      query: {
                        ...(str(v.from) ? { from: str(v.from)! } : {}),
                        ...(str(v.to) ? { to: str(v.to)! } : {}),
                        ...(str(v.matter) ? { matterCode: str(v.matter)! } : {}),
                        ...(serials.length ? { serials } : {}),
                      },
                    }
                  : {}),
                ...(licences.length
                  ? { items: licences.map((identifier) => ({ identifier })) }
                  : {}),
                output: v.combined ? 'combined' : 'per-business',
                ...lay,
              },
              actor,
            )
        ctx.stderr(`批次 ${started.id}：共 ${started.total} 件\n`)
        // Progress to stderr as the batch moves; Ctrl-C stops it after the copy in hand.
        let last = ''
        const timer = setInterval(() => {
          const line = progressLine(service.batches.view(started.id))
          if (line !== last) ctx.stderr((last = line))
        }, 250)
        void ctx.interrupted.then(() => {
          ctx.stderr('正在取消：完成当前这一件后停止…\n')
          service.batches.cancel(started.id)
        })
        await service.batches.settle()
        clearInterval(timer)
        const view = service.batches.view(started.id)
        ctx.stderr(progressLine(view))
        printJson(ctx, { ...view, outputDir: service.outputDir })
        return view.state === 'done' && view.failed === 0 ? 0 : view.state === 'cancelled' ? 130 : 1
      } finally {
        await env.close()
      }
    },
  },
  {
    path: ['archive', 'register'],
    usage: REGISTER_USAGE,
    summary: '查看存档登记簿：打印了什么、何时、何人、哪笔业务，重印标注',
    options: {
      ...STORE_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      serial: { type: 'string' },
      identifier: { type: 'string' },
      limit: { type: 'string' },
    },
    async run(args, ctx) {
      const v = args.values
      try {
        checkDates(v.from, v.to)
      } catch (error) {
        if (error instanceof UsageError) return fail(ctx, REGISTER_USAGE, error)
        throw error
      }
      const env = await openEnv(args, ctx, false)
      try {
        printJson(
          ctx,
          env.service.registerEntries({
            ...(str(v.from) ? { from: str(v.from)! } : {}),
            ...(str(v.to) ? { to: str(v.to)! } : {}),
            ...(str(v.serial) ? { businessSerial: str(v.serial)! } : {}),
            ...(str(v.identifier) ? { identifier: str(v.identifier)! } : {}),
            limit: Math.min(5000, Math.max(1, Number(str(v.limit) ?? 500) || 500)),
          }),
        )
        return 0
      } finally {
        await env.close()
      }
    },
  },
  {
    path: ['archive', 'verify-qr'],
    usage: 'archive verify-qr <二维码内容> [--public-key 04…]',
    summary: '核验存档副本上的二维码（签名、有效期、登记簿）',
    options: { ...STORE_OPTIONS, 'public-key': { type: 'string' } },
    async run(args, ctx) {
      const content = args.positionals[0]
      if (!content) return fail(ctx, 'archive verify-qr <二维码内容>', usage('缺少二维码内容'))
      const env = await openEnv(args, ctx, false)
      try {
        const extra = new Map<string, Uint8Array>()
        const pub = str(args.values['public-key'])
        if (pub) {
          if (!/^04[0-9a-fA-F]{128}$/.test(pub))
            return fail(
              ctx,
              'archive verify-qr <二维码内容> --public-key 04…',
              usage('公钥应为 04 开头的 130 位十六进制'),
            )
          const key = Uint8Array.from(Buffer.from(pub, 'hex'))
          extra.set(keyId(key), key)
        }
        const check = env.service.verifyQr(content, extra)
        printJson(ctx, check)
        return check.valid ? 0 : 1
      } finally {
        await env.close()
      }
    },
  },
  {
    path: ['archive', 'key'],
    usage: 'archive key',
    summary: '显示本单位存档二维码的核验公钥（供他人离线核验）',
    options: { ...STORE_OPTIONS },
    async run(args, ctx) {
      const env = await openEnv(args, ctx, false)
      try {
        const key = env.service.key()
        printJson(ctx, {
          kid: key.kid,
          publicKey: Buffer.from(key.keys.publicKey).toString('hex'),
          // As every copy prints it: a reader checks the key they were given against it.
          fingerprint: keyFingerprint(key.keys.publicKey),
          algorithm: 'SM2 (GM/T 0003) with SM3, user ID 1234567812345678',
        })
        return 0
      } finally {
        await env.close()
      }
    },
  },
]
