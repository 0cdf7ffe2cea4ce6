/**
 * Who holds a lease on a database row (an outbox item, a bulk batch, an archive batch):
 * `<host>:<pid>`, with more after it where a process needs to tell its own earlier lives apart.
 * Only on this host can a dead owner be told.
 */
import { hostname } from 'node:os'

/** This process, as an owner. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`
}

/** The owner's process id when it ran on this host; undefined for another host or a bad name. */
export function localPid(owner: string): number | undefined {
  const [host, pid] = owner.split(':')
  if (host !== hostname()) return undefined
  const n = Number(pid)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

/** Whether a process of this host still runs (one we may not signal runs, too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}
