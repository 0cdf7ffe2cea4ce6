import type { Migration } from '../migration'

/**
 * Sync: what was delivered and when (for the deadline-compliance chart; no personal data), and
 * the holiday arrangements an administrator imported.
 */
export const sync: Migration = {
  version: 810,
  name: 'sync',
  sql: `
    CREATE TABLE sync_history (
      idempotency_key TEXT PRIMARY KEY,
      kind            TEXT NOT NULL,
      identifier      TEXT NOT NULL,
      type_name       TEXT NOT NULL,
      mode            TEXT NOT NULL,
      completed_at    TEXT NOT NULL,
      completed_day   TEXT NOT NULL,
      deadline        TEXT NOT NULL,
      deadline_ms     INTEGER NOT NULL,
      sent_at         TEXT NOT NULL,
      on_time         INTEGER NOT NULL CHECK (on_time IN (0, 1)),
      target          TEXT NOT NULL,
      attempts        INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sync_history_day ON sync_history (completed_day);

    CREATE TABLE calendar_years (
      year        INTEGER PRIMARY KEY,
      body        TEXT NOT NULL,
      file_name   TEXT,
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL
    ) STRICT;
  `,
}
