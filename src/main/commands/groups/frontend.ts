import { TRAINING_LICENCE_TYPES } from '../../issuance'
import {
  checkFrontendSchema,
  connectFrontend,
  describeFrontendUrl,
  initFrontend,
  parseFrontendUrl,
  publishCatalogue,
  readPublishedCatalogue,
  type FrontendUrl,
} from '../../sync'
import { printJson, type Command, type ParsedArgs } from '../command'
import { localStore, STORE_OPTIONS } from './local-store'

/** `--url`, else the configured front-end processor. */
function urlOf(args: ParsedArgs): FrontendUrl | undefined {
  if (typeof args.values.url === 'string') return parseFrontendUrl(args.values.url)
  const configured = localStore(args).config.sync.frontend?.url
  return configured ? parseFrontendUrl(configured) : undefined
}

export const frontendCommands: Command[] = [
  {
    path: ['frontend', 'init'],
    usage:
      'frontend init --url mysql://用户:密码@主机:3306/HN_license [--publish-training-catalogue]',
    summary: '在前置机上创建或升级 HN_license 的交换表（可重复执行）',
    options: {
      ...STORE_OPTIONS,
      url: { type: 'string' },
      'publish-training-catalogue': { type: 'boolean' },
    },
    async run(args, ctx) {
      const url = urlOf(args)
      if (!url) {
        ctx.stderr('用法: frontend init --url mysql://用户:密码@主机:3306/HN_license\n')
        return 64
      }
      const result = await initFrontend(url)
      let published: number | undefined
      if (args.values['publish-training-catalogue']) {
        const conn = await connectFrontend(url)
        try {
          published = await publishCatalogue(conn, TRAINING_LICENCE_TYPES, 'TRAINING')
        } finally {
          await conn.end()
        }
      }
      printJson(ctx, {
        url: describeFrontendUrl(url),
        ...result,
        ...(published !== undefined ? { publishedCatalogueEntries: published } : {}),
      })
      return 0
    },
  },
  {
    path: ['frontend', 'status'],
    usage: 'frontend status [--url mysql://…]',
    summary: '前置机表结构版本、各交换表行数、已发布的证照目录',
    options: { ...STORE_OPTIONS, url: { type: 'string' } },
    async run(args, ctx) {
      const url = urlOf(args)
      if (!url) {
        ctx.stderr('用法: frontend status --url mysql://…（或在配置中设置 sync.frontend.url）\n')
        return 64
      }
      const conn = await connectFrontend(url)
      try {
        const version = await checkFrontendSchema(conn)
        const rows: Record<string, number> = {}
        for (const table of ['HN_catalog_sync', 'HN_catalog_release', 'HN_license_sync']) {
          const [r] = await conn.query(`SELECT COUNT(*) AS n FROM ${table}`)
          rows[table] = Number((r as { n: number }[])[0]!.n)
        }
        const catalogue = (await readPublishedCatalogue(conn)) as {
          typeCode?: string
          name?: string
        }[]
        printJson(ctx, {
          url: describeFrontendUrl(url),
          version,
          rows,
          publishedTypes: catalogue.map((c) => ({ typeCode: c.typeCode, name: c.name })),
        })
      } finally {
        await conn.end()
      }
      return 0
    },
  },
]
