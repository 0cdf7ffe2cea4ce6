import type { Migration } from '../migration'

/**
 * Which process works a batch (`host:pid`): a batch whose process is gone is interrupted at once,
 * without waiting for its heartbeat to go stale, so it can be resumed right after a crash.
 */
export const archiveOwner: Migration = {
  version: 901,
  name: 'archive-batch-owner',
  sql: `ALTER TABLE archive_batches ADD COLUMN owner TEXT NOT NULL DEFAULT '';`,
}
