import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createLicenceFileSource,
  parseFault,
  perfLicences,
  SEED_LICENCES,
  startSandboxLibrary,
} from '../../training'
import { parseCatalogueText } from '../../licences'
import { printJson, type Command } from '../command'

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
      const port = values.port ? Number(values.port) : 8790
      const latencyMs = values.latency ? Number(values.latency) : 0
      const fault = typeof values.fault === 'string' ? parseFault(values.fault) : undefined
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
