/**
 * The access log's part of the core: supervisors list it, export it (CSV or JSON, with the chain
 * checked) and verify it. Exports are themselves logged, and so is anyone else's attempt.
 */
import { rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { AuditQuery } from '../../shared/domain'
import { CounterError } from '../../shared/errors'
import type { CoreContext, CoreModule } from '../context'
import { csvLines, toJson } from './export'
import { writeFileAtomic } from './files'
import { AuditLog, auditResult, certificateOf } from './log'

export interface AuditModuleOptions {
  /** Where exports are written; the licence module writes materials beside them. */
  readonly exportRoot: string
}

export function createAuditLog(ctx: CoreContext): AuditLog {
  return new AuditLog({
    db: ctx.db,
    terminal: ctx.config.terminal.id,
    retentionYears: ctx.config.audit.retentionYears,
  })
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

export function createAuditModule(
  ctx: CoreContext,
  options: AuditModuleOptions,
): CoreModule<'audit'> & { readonly log: AuditLog } {
  const log = createAuditLog(ctx)

  /** The supervisor asking; anyone else is refused, and the refused attempt is on record. */
  const supervisor = (action: 'audit-view' | 'audit-export', what: string, alsoAdmin = false) => {
    const staff = ctx.staff.current()
    const refusal = !staff
      ? new CounterError('AUTH_REQUIRED')
      : staff.role !== 'supervisor' && !(alsoAdmin && staff.role === 'administrator')
        ? new CounterError('ROLE_SUPERVISOR_REQUIRED')
        : undefined
    if (!refusal) return staff!
    log.append({ action, staff, result: auditResult(refusal), detail: what })
    throw refusal
  }

  return {
    log,
    handlers: {
      audit: {
        list(query) {
          supervisor('audit-view', 'list')
          return log.list(query)
        },
        verify() {
          supervisor('audit-view', 'verify', true)
          return log.verify()
        },
        export(query) {
          const { format, ...filter } = query
          const staff = supervisor('audit-export', format)
          const chain = log.verify()
          const now = new Date()
          const file = join(
            options.exportRoot,
            'audit',
            `audit-${ctx.config.terminal.id}-${stamp(now)}.${format}`,
          )
          let entries = 0
          let bytes: number
          const counted = function* (q: AuditQuery) {
            for (const e of log.iterate(q)) {
              entries++
              yield e
            }
          }
          // An export the log does not record must not stay behind, nor half of one.
          const written: string[] = []
          const write = (path: string, chunks: Iterable<string>) => {
            const n = writeFileAtomic(path, chunks)
            written.push(path)
            return n
          }
          const discard = () => written.forEach((path) => rmSync(path, { force: true }))
          try {
            if (format === 'csv') {
              bytes = write(file, csvLines(counted(filter)))
              write(file.replace(/\.csv$/, '.chain.json'), [
                JSON.stringify({ terminal: ctx.config.terminal.id, query: filter, chain }, null, 2),
              ])
            } else {
              const all = [...counted(filter)]
              bytes = write(file, [
                toJson(
                  {
                    terminal: ctx.config.terminal.id,
                    exportedAt: now.toISOString(),
                    exportedBy: `${staff.name} (${certificateOf(staff)})`,
                    query: filter,
                    chain,
                  },
                  all,
                ),
              ])
            }
          } catch (cause) {
            discard()
            throw new CounterError('AUDIT_EXPORT_FAILED', { cause, detail: String(cause) })
          }
          try {
            log.append({
              action: 'audit-export',
              staff,
              result: chain.ok ? 'ok' : `ok:chain-broken-at-${chain.broken?.seq}`,
              detail: `${format} ${entries} entries`,
            })
          } catch (error) {
            discard()
            throw error
          }
          return {
            format,
            path: relative(options.exportRoot, file).split('\\').join('/'),
            entries,
            bytes,
            chain,
          }
        },
      },
    },
  }
}
