/**
 * `audit verify`: checks the access log's hash chain in a terminal's database (or a copy of it)
 * without writing to it. Exit 0 when intact; 3, naming the first broken entry, when not.
 */
import { describeError } from '../../../shared/errors'
import { AuditLog, openAuditDatabase } from '../../audit'
import { printJson, type Command } from '../command'
import { localStore, STORE_OPTIONS } from './local-store'

const PROBLEM = { hash: '内容被改动', link: '与前一条不衔接', gap: '之前有记录缺失' } as const

export const auditCommands: Command[] = [
  {
    path: ['audit', 'verify'],
    usage: 'audit verify [--db <file>] [--config <file>]',
    summary: '校验访问日志哈希链（不修改数据库），断裂时以非零退出并指出第一条断裂记录',
    options: { db: { type: 'string' }, ...STORE_OPTIONS },
    run(args, ctx) {
      const file = typeof args.values.db === 'string' ? args.values.db : localStore(args).dbFile
      const db = openAuditDatabase(file)
      try {
        const log = new AuditLog({ db, terminal: '' })
        const chain = log.verify()
        printJson(ctx, { file, entries: log.count(), ...chain })
        if (chain.ok) return 0
        const b = chain.broken!
        const { message, hint } = describeError('AUDIT_CHAIN_BROKEN', {
          seq: b.seq,
          at: b.at,
          problem: PROBLEM[b.problem],
        })
        ctx.stderr(`${message}\n${hint}\n`)
        return 3
      } finally {
        db.close()
      }
    },
  },
]
