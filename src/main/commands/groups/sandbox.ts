import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createLicenceFileSource,
  parseFault,
  perfLicences,
  SEED_LICENCES,
  startSandboxLibrary,
  type SandboxFault,
} from '../../training'
import { parseCatalogueText } from '../../licences'
import { printJson, UsageError, type Command } from '../command'

/** A whole-number option up to `max`, or its default when absent; anything else is refused. */
function whole(value: unknown, fallback: number, max: number, expected: string): number {
  if (typeof value !== 'string') return fallback
  if (!/^\d{1,9}$/.test(value) || Number(value) > max)
    throw new UsageError(`${expected}，而不是 ${value}`)
  return Number(value)
}

function faultOption(spec: string): SandboxFault {
  try {
    return parseFault(spec)
  } catch (error) {
    throw new UsageError(`--fault ${(error as Error).message}`)
  }
}

export const sandboxCommands: Command[] = [
  {
    path: ['sandbox'],
    usage:
      'sandbox [--port <n>] [--latency <ms>] [--token <t>] [--app-key <k> --app-secret <s>] [--perf] [--files] [--fault <kind[:arg]>]',
    summary: '单独运行沙箱电子证照库（培训与测试用；--fault 模拟故障的证照库）',
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      token: { type: 'string' },
      'app-key': { type: 'string' },
      'app-secret': { type: 'string' },
      perf: { type: 'boolean' },
      files: { type: 'boolean' },
      fault: { type: 'string' },
    },
    async run({ values }, ctx) {
      const port = whole(values.port, 8790, 65535, '--port 应为 0–65535 的端口号')
      const latencyMs = whole(values.latency, 0, 600_000, '--latency 应为 0–600000 的毫秒数')
      const fault = typeof values.fault === 'string' ? faultOption(values.fault) : undefined
      // The bundled training catalogue, for terminals that load theirs from the library.
      const { catalogue } = parseCatalogueText(
        readFileSync(join(ctx.resourcesDir, 'catalogue', 'training-catalogue.json'), 'utf8'),
        { requireSignature: false, trustedKeys: [] },
      )
      const files = values.files
        ? createLicenceFileSource({ resourcesDir: ctx.resourcesDir })
        : undefined
      const sandbox = await startSandboxLibrary({
        port,
        latencyMs,
        catalogue,
        ...(values.perf ? { licences: [...SEED_LICENCES, ...perfLicences(30)] } : {}),
        ...(typeof values.token === 'string' ? { token: values.token } : {}),
        ...(typeof values['app-key'] === 'string' && typeof values['app-secret'] === 'string'
          ? { appKey: values['app-key'], appSecret: values['app-secret'] }
          : {}),
        ...(files ? { fileFor: files.fileFor } : {}),
        ...(fault ? { fault } : {}),
      })
      printJson(ctx, {
        url: sandbox.url,
        accessId: sandbox.accessId,
        token: sandbox.token,
        latencyMs,
        ...(fault ? { fault } : {}),
        ...(files
          ? { sealRoots: files.trustAnchors.map((c) => Buffer.from(c).toString('base64')) }
          : {}),
      })
      ctx.stderr('沙箱电子证照库已启动，按 Ctrl-C 停止。\n')
      await ctx.interrupted
      await sandbox.close()
      return 0
    },
  },
]
