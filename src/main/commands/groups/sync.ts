import type { SyncStatus, SyncTargetKind } from '../../../shared/domain'
import { CounterError } from '../../../shared/errors'
import { createSealer, OutboxStore, resolveDataKey } from '../../issuance'
import {
  createSyncTarget,
  fullJitter,
  parseOfficeHours,
  summary,
  SyncScheduler,
  type LibraryEndpoint,
  type RunReport,
} from '../../sync'
import { printJson, type Command, type CommandContext } from '../command'
import {
  localStore,
  openStoreDb,
  STORE_OPTIONS,
  storeCalendar,
  type LocalStore,
} from './local-store'

function outboxOf(store: LocalStore) {
  const db = openStoreDb(store)
  const sealer = createSealer(
    resolveDataKey({
      ...(store.config.issuance.dataKey ? { configured: store.config.issuance.dataKey } : {}),
      ...(process.env.COUNTERDESK_DATA_KEY ? { env: process.env.COUNTERDESK_DATA_KEY } : {}),
      training: store.config.mode === 'training',
      dataDir: store.dataDir,
    }),
  )
  return { db, outbox: new OutboxStore(db, sealer) }
}

/**
 * Runs `push` with the library to push to: the configured one, or in training mode (which has
 * none) a sandbox library started in this process, as the app starts one, so that a field
 * engineer can try the push. What the sandbox receives is gone when the command ends.
 */
async function withLibrary<T>(
  store: LocalStore,
  kind: SyncTargetKind,
  ctx: CommandContext,
  push: (library: LibraryEndpoint | undefined, sandbox: boolean) => Promise<T>,
): Promise<T> {
  if (kind !== 'library' || store.config.library || store.config.mode !== 'training')
    return push(store.config.library, false)
  // Loaded only here: the training domain is large and a production push never needs it.
  const { startSandboxLibrary } = await import('../../training')
  const sandbox = await startSandboxLibrary()
  try {
    ctx.stderr('培训模式：推送到本机临时启动的沙箱证照库，命令结束后其收到的数据即丢弃\n')
    return await push(
      {
        baseUrl: sandbox.url,
        auth: { kind: 'token', accessId: sandbox.accessId, token: sandbox.token },
      },
      true,
    )
  } finally {
    await sandbox.close()
  }
}

function progressLine(ctx: CommandContext, s: SyncStatus): void {
  if (s.run) ctx.stderr(`推送中：已送达 ${s.run.sent}，转人工 ${s.run.parked}，共 ${s.run.total}\n`)
  else if (s.lastError) ctx.stderr(`推送暂停：${s.lastError.message}（${s.lastError.hint}）\n`)
}

export const outboxCommands: Command[] = [
  {
    path: ['outbox', 'status'],
    usage: 'outbox status',
    summary: '待推送事项：按状态计数、逾期与临期数量、最早时限',
    options: { ...STORE_OPTIONS },
    run(args, ctx) {
      const store = localStore(args)
      const { calendar, db } = storeCalendar(store, ctx.resourcesDir)
      if (!db) {
        printJson(ctx, {
          target: store.config.sync.target,
          pending: 0,
          inFlight: 0,
          parked: 0,
          overdue: 0,
          dueSoon: 0,
          alertWorkingMinutes: store.config.sync.alertWorkingMinutes,
        })
        return 0
      }
      try {
        // Counting needs no key: nothing sealed is opened.
        const outbox = new OutboxStore(db, createSealer(undefined))
        printJson(ctx, {
          target: store.config.sync.target,
          ...summary(
            outbox,
            calendar.current(),
            parseOfficeHours(store.config.sync.officeHours),
            store.config.sync.alertWorkingMinutes,
            Date.now(),
          ),
        })
      } finally {
        db.close()
      }
      return 0
    },
  },
]

export const syncCommands: Command[] = [
  {
    path: ['sync', 'push'],
    usage: 'sync push [--to http|mysql] [--url mysql://…] [--batch-size n] [--until-empty]',
    summary: '立即推送待推送事项到证照库接口（http）或前置机（mysql）',
    options: {
      ...STORE_OPTIONS,
      to: { type: 'string' },
      url: { type: 'string' },
      'batch-size': { type: 'string' },
      'until-empty': { type: 'boolean' },
    },
    async run(args, ctx) {
      const store = localStore(args)
      const to = args.values.to
      if (to !== undefined && to !== 'http' && to !== 'mysql') {
        ctx.stderr('--to 只能是 http 或 mysql\n')
        return 64
      }
      const kind =
        to === 'mysql' ? 'frontend' : to === 'http' ? 'library' : store.config.sync.target
      const url = typeof args.values.url === 'string' ? args.values.url : undefined
      const syncConfig = url
        ? {
            ...store.config.sync,
            frontend: { url, queryTimeoutMs: store.config.sync.frontend?.queryTimeoutMs ?? 30_000 },
          }
        : store.config.sync
      const batchSize = args.values['batch-size']
        ? Number(args.values['batch-size'])
        : syncConfig.batchSize
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) {
        ctx.stderr('--batch-size 应为 1–500\n')
        return 64
      }
      return withLibrary(store, kind, ctx, async (library, sandbox) => {
        const target = createSyncTarget(kind, syncConfig, library, store.logger)
        if (!target) throw new CounterError('SYNC_NOT_CONFIGURED')
        const { db, outbox } = outboxOf(store)
        const scheduler = new SyncScheduler({
          outbox,
          target,
          targetKind: kind,
          batchSize,
          intervalMs: syncConfig.intervalMs,
          backoff: syncConfig.backoff,
          logger: store.logger,
          onStatus: (s) => progressLine(ctx, s),
        })
        const started = Date.now()
        let sent = 0
        let parked = 0
        let last: RunReport | undefined
        let interrupted = false
        void ctx.interrupted.then(() => {
          interrupted = true
        })
        try {
          // A crashed pusher's leases go back at once; then everything pending is offered now.
          outbox.releaseDead(scheduler.owner)
          ctx.stderr(`开始推送到${target.label}\n`)
          for (let failures = 0; ;) {
            last = await scheduler.runOnce({ everything: true })
            sent += last.sent
            parked += last.parked
            if (!last.error || !args.values['until-empty'] || interrupted) break
            failures++
            const wait = fullJitter(failures, syncConfig.backoff)
            ctx.stderr(`${Math.round(wait / 1000)} 秒后重试\n`)
            await Promise.race([new Promise((r) => setTimeout(r, wait)), ctx.interrupted])
            if (interrupted) break
          }
          const remaining = outbox.counts(Date.now())
          printJson(ctx, {
            target: kind,
            sent,
            parked,
            remaining: remaining.pending + remaining.inFlight,
            parkedTotal: remaining.parked,
            durationMs: Date.now() - started,
            ...(sandbox ? { sandbox: true } : {}),
            ...(last?.error
              ? {
                  error: {
                    code: last.error.code,
                    message: last.error.message,
                    hint: last.error.hint,
                  },
                }
              : {}),
          })
          return last?.error ? 1 : 0
        } finally {
          outbox.releaseOwn(scheduler.owner)
          await target.close()
          db.close()
        }
      })
    },
  },
]
