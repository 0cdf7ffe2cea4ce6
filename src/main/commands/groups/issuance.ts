/**
 * `issue bulk check | run | status`: bulk issuance lists from the command line, on the app's own
 * database (`--config`, `--data-dir` as the other local commands).
 *
 * `check` reads a list the way the 批量签发 view does and prints every problem as JSON; it issues
 * nothing and works in any mode. `run` issues a list, in training mode only: it starts the app's
 * own core, signs in the training supervisor (bulk issuance is theirs) and seals with the training
 * seal, or with the training unit-seal UKey and `--pin`. What it issues stays queued in the app's
 * outbox for the app to push. `status` shows batches and which rows were issued under which
 * identifier, without opening anything sealed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import type { EventName } from '../../../shared/api'
import {
  BULK_LIMITS,
  type BulkBatchView,
  type BulkCheck,
  type BulkImportResult,
  type SignerChoice,
  type SignerOption,
} from '../../../shared/domain'
import { CounterError, type ErrorCode } from '../../../shared/errors'
import { shanghaiDate } from '../../../shared/time'
import { createCore, type Core } from '../../core'
import { openDatabase, type Db } from '../../db'
import {
  BulkStore,
  checkBulkList,
  createSealer,
  createTemplateStore,
  describeBulkProblem,
  TRAINING_LICENCE_TYPES,
  type TemplateStore,
} from '../../issuance'
import { TRAINING_PIN } from '../../training'
import { printJson, type Command, type CommandContext, type ParsedArgs } from '../command'
import { localStore, openStoreDb, STORE_OPTIONS, type LocalStore } from './local-store'

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

class UsageError extends Error {}

function fail(ctx: CommandContext, usage: string, error: UsageError): number {
  ctx.stderr(`${error.message}\n用法: ${usage}\n`)
  return 64
}

/** The list file's bytes, refused before reading when it is over the limit. */
function readList(file: string): { fileName: string; bytes: Uint8Array } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`找不到清单文件 ${file}`)
  const size = statSync(file).size
  if (size > BULK_LIMITS.maxBytes)
    throw new CounterError('ISSUANCE_BULK_FILE_TOO_LARGE', {
      params: {
        size: (size / 1048576).toFixed(1),
        max: Math.floor(BULK_LIMITS.maxBytes / 1048576),
      },
    })
  return { fileName: basename(file), bytes: new Uint8Array(readFileSync(file)) }
}

function typeCodeOf(args: ParsedArgs): string {
  const type = str(args.values.type)
  if (!type || !/^[0-9A-Z]{21}$/.test(type)) throw new UsageError('--type 应为 21 位证照类型代码')
  return type
}

/**
 * The licence catalogue's local copy in the app's database; in training mode, when the app has
 * not fetched it yet, the training catalogue the sandbox publishes (kept in memory).
 */
function catalogueFor(store: LocalStore): { templates: TemplateStore; close(): void } {
  const dbs: Db[] = []
  const open = (db: Db) => (dbs.push(db), db)
  const close = () => dbs.forEach((db) => db.close())
  let templates = createTemplateStore(
    open(existsSync(store.dbFile) ? openStoreDb(store) : openDatabase({ file: ':memory:' })),
    store.logger,
  )
  if (templates.size === 0 && store.config.mode === 'training') {
    templates = createTemplateStore(open(openDatabase({ file: ':memory:' })), store.logger)
    templates.replace(TRAINING_LICENCE_TYPES, 'training')
  }
  return { templates, close }
}

function checkJson(check: BulkCheck) {
  return {
    ok: check.problemCount === 0,
    ...check,
    problems: check.problems.map((p) => ({ ...p, message: describeBulkProblem(p) })),
  }
}

const CHECK_USAGE = 'issue bulk check <清单.csv> --type <证照类型代码> [--config f] [--data-dir d]'
const RUN_USAGE =
  'issue bulk run <清单.csv> --type <证照类型代码> [--pin 印章Key口令] | --resume <批次号> [--pin p]'
const STATUS_USAGE = 'issue bulk status [<批次号>] [--config f] [--data-dir d]'

/** Polls until `probe` gives a value (or the time is up). */
async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe()
    if (v !== undefined) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function call<T>(core: Core, method: string, ...args: unknown[]): Promise<T> {
  const r = await core.dispatch(method, args)
  if (!r.ok)
    throw new CounterError(r.error.code as ErrorCode, {
      ...(r.error.params ? { params: r.error.params } : {}),
    })
  return r.value as T
}

/** The training supervisor signs in on the simulated staff key, as at the window. */
async function signInSupervisor(core: Core): Promise<void> {
  const tokenId = 'sim/staff-supervisor'
  await call(core, 'cakey.trainingInsert', 'staff-supervisor')
  await until(
    async () =>
      (await call<{ tokenId: string }[]>(core, 'auth.keys')).some((k) => k.tokenId === tokenId)
        ? true
        : undefined,
    'the supervisor key',
  )
  await call(core, 'auth.signOut')
  await call(core, 'auth.signIn', tokenId, TRAINING_PIN)
}

/** The training seal, or the training unit-seal UKey opened with the PIN given. */
async function signerFor(core: Core, pin: string | undefined): Promise<SignerChoice> {
  if (pin === undefined) return { kind: 'training' }
  await call(core, 'cakey.trainingInsert', 'unit-seal')
  const option = await until(
    async () =>
      (await call<SignerOption[]>(core, 'issuance.signers')).find(
        (o) => o.choice.kind === 'token' && o.available,
      ),
    'the unit seal key',
  )
  return { ...(option.choice as Extract<SignerChoice, { kind: 'token' }>), pin }
}

function progressLine(v: BulkBatchView): string {
  const pct = v.total ? Math.floor((v.done * 100) / v.total) : 100
  const where = v.currentRow ? ` · 第 ${v.currentRow} 行` : ''
  const why = v.error ? ` · ${v.error.message}` : ''
  return `[${v.done}/${v.total} ${pct}%] ${v.batchNo} ${v.state}${where}${why}\n`
}

/** Runs a batch on the core to its end (or a stop), with progress on stderr; Ctrl-C cancels. */
async function runBatch(
  core: Core,
  ctx: CommandContext,
  batchNo: string,
  signer: SignerChoice,
): Promise<BulkBatchView> {
  let last: BulkBatchView | undefined
  let settle: (v: BulkBatchView) => void = () => undefined
  const ended = new Promise<BulkBatchView>((r) => (settle = r))
  const off = core.onEvent((event: EventName, payload: unknown) => {
    if (event !== 'issuance.bulkProgress') return
    const v = payload as BulkBatchView
    if (v.batchNo !== batchNo) return
    if (!last || v.done !== last.done || v.state !== last.state) ctx.stderr(progressLine(v))
    last = v
    if (v.state !== 'running') settle(v)
  })
  try {
    const started = await call<BulkBatchView>(core, 'issuance.bulkRun', batchNo, signer)
    if (started.state !== 'running') return started
    void ctx.interrupted.then(async () => {
      ctx.stderr('正在取消：签完手上这一张后停止\n')
      await call(core, 'issuance.bulkCancel', batchNo).catch(() => undefined)
    })
    return await ended
  } finally {
    off()
  }
}

export const issuanceCommands: Command[] = [
  {
    path: ['issue', 'bulk', 'check'],
    usage: CHECK_USAGE,
    summary: '检查批量签发清单（CSV）：逐行列出问题（JSON），不签发',
    options: { ...STORE_OPTIONS, type: { type: 'string' } },
    run(args, ctx) {
      let type: string
      let list: { fileName: string; bytes: Uint8Array }
      try {
        if (args.positionals.length !== 1) throw new UsageError('需要一个清单文件')
        type = typeCodeOf(args)
        list = readList(args.positionals[0]!)
      } catch (error) {
        if (error instanceof UsageError) return fail(ctx, CHECK_USAGE, error)
        throw error
      }
      const store = localStore(args)
      const catalogue = catalogueFor(store)
      try {
        const { check } = checkBulkList(catalogue.templates.get(type), list, shanghaiDate())
        printJson(ctx, checkJson(check))
        return check.problemCount === 0 ? 0 : 3
      } finally {
        catalogue.close()
      }
    },
  },
  {
    path: ['issue', 'bulk', 'run'],
    usage: RUN_USAGE,
    summary:
      '培训模式：以审核人员身份批量签发清单（培训印章，或 --pin 用单位电子印章 Key）；可 --resume',
    options: {
      ...STORE_OPTIONS,
      type: { type: 'string' },
      pin: { type: 'string' },
      resume: { type: 'string' },
    },
    async run(args, ctx) {
      const resume = str(args.values.resume)
      let type: string | undefined
      let list: { fileName: string; bytes: Uint8Array } | undefined
      try {
        if (resume) {
          if (args.positionals.length > 0) throw new UsageError('--resume 不需要清单文件')
          if (!/^B\d{8}-[0-9A-F]{8}$/.test(resume))
            throw new UsageError('批次号应形如 B20260403-1A2B3C4D')
        } else {
          if (args.positionals.length !== 1) throw new UsageError('需要一个清单文件')
          type = typeCodeOf(args)
          list = readList(args.positionals[0]!)
        }
      } catch (error) {
        if (error instanceof UsageError) return fail(ctx, RUN_USAGE, error)
        throw error
      }
      const store = localStore(args)
      if (store.config.mode !== 'training') throw new CounterError('ISSUANCE_BULK_TRAINING_ONLY')
      // The app fetches the catalogue from the library; without a local copy yet, training uses
      // the one the sandbox publishes.
      const db = openStoreDb(store)
      try {
        const templates = createTemplateStore(db, store.logger)
        if (templates.size === 0) templates.replace(TRAINING_LICENCE_TYPES, 'training')
      } finally {
        db.close()
      }
      const core = await createCore({
        // Nothing is pushed from here: the app's pusher delivers what this queues.
        config: { ...store.config, sync: { ...store.config.sync, target: 'none' } },
        dataDir: store.dataDir,
        resourcesDir: ctx.resourcesDir,
        version: 'cli',
        logger: store.logger,
      })
      try {
        await core.start()
        await signInSupervisor(core)
        const signer = await signerFor(core, str(args.values.pin))
        let batchNo = resume
        if (!batchNo) {
          const imported = await call<BulkImportResult>(core, 'issuance.bulkImport', type, {
            fileName: list!.fileName,
            content: Buffer.from(list!.bytes).toString('base64'),
          })
          if (imported.kind === 'problems') {
            printJson(ctx, checkJson(imported.check))
            return 3
          }
          batchNo = imported.detail.batch.batchNo
          ctx.stderr(`已导入 ${imported.check.rows} 行，批次 ${batchNo}\n`)
        }
        const end = await runBatch(core, ctx, batchNo, signer)
        printJson(ctx, {
          batch: end,
          rows: rowsOf(new BulkStore(core.db, createSealer(undefined)), batchNo),
        })
        return end.state === 'done' ? 0 : 1
      } finally {
        await core.stop()
      }
    },
  },
  {
    path: ['issue', 'bulk', 'status'],
    usage: STATUS_USAGE,
    summary: '批量签发批次：状态与计数；指定批次时列出每行的签发状态与证照标识',
    options: { ...STORE_OPTIONS },
    run(args, ctx) {
      if (args.positionals.length > 1)
        return fail(ctx, STATUS_USAGE, new UsageError('最多一个批次号'))
      const store = localStore(args)
      if (!existsSync(store.dbFile)) {
        if (args.positionals[0])
          throw new CounterError('ISSUANCE_BULK_NOT_FOUND', {
            params: { batch: args.positionals[0] },
          })
        printJson(ctx, { batches: [] })
        return 0
      }
      const db = openStoreDb(store)
      try {
        // Nothing sealed is opened: the key is not needed.
        const bulk = new BulkStore(db, createSealer(undefined))
        const now = Date.now()
        const batchNo = args.positionals[0]
        if (batchNo)
          printJson(ctx, { batch: bulk.view(batchNo, false, now), rows: rowsOf(bulk, batchNo) })
        else printJson(ctx, { batches: bulk.batchNos(50).map((b) => bulk.view(b, false, now)) })
        return 0
      } finally {
        db.close()
      }
    },
  },
]

/** Each row of a batch: its state and identifier, the holder masked. */
function rowsOf(bulk: BulkStore, batchNo: string) {
  return bulk.rows(batchNo, Number.MAX_SAFE_INTEGER).map((r) => ({
    row: r.fileRow,
    state: r.state,
    identifier: r.identifier,
    number: r.number,
    holder: `${r.holderNameMasked} ${r.holderMasked}`,
    ...(r.issuedAt ? { issuedAt: r.issuedAt } : {}),
  }))
}
