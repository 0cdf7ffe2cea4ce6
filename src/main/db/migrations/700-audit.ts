import type { Migration } from '../migration'

/**
 * The access log of rules art. 27. Append-only and hash-chained; the triggers are the database's
 * own guard, so that not even a bug in the app can rewrite history: no updates, no deletion of
 * anything younger than three years, and no entry that does not link to the current tail.
 */
export const audit: Migration = {
  version: 700,
  name: 'audit-log',
  sql: `
    CREATE TABLE audit_log (
      seq             INTEGER PRIMARY KEY,
      at              TEXT NOT NULL,
      action          TEXT NOT NULL,
      staff_name      TEXT NOT NULL,
      staff_cert      TEXT NOT NULL,
      staff_role      TEXT NOT NULL,
      terminal        TEXT NOT NULL,
      holder          TEXT NOT NULL,
      holder_type     TEXT NOT NULL,
      matter          TEXT NOT NULL,
      reason          TEXT NOT NULL,
      business_serial TEXT NOT NULL,
      licences        TEXT NOT NULL,
      result          TEXT NOT NULL,
      detail          TEXT NOT NULL,
      prev_hash       TEXT NOT NULL,
      hash            TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE INDEX audit_log_at ON audit_log (at);

    -- The last pruned entry: the chain continues from it once older entries are gone.
    CREATE TABLE audit_anchor (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      seq       INTEGER NOT NULL,
      hash      TEXT NOT NULL,
      pruned_at TEXT NOT NULL
    ) STRICT;

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only');
    END;

    CREATE TRIGGER audit_log_retention BEFORE DELETE ON audit_log
    WHEN julianday(OLD.at) > julianday('now', '-3 years')
    BEGIN
      SELECT RAISE(ABORT, 'audit entries are kept at least 3 years');
    END;

    CREATE TRIGGER audit_log_link BEFORE INSERT ON audit_log
    WHEN NEW.prev_hash IS NOT coalesce(
      (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
      (SELECT hash FROM audit_anchor WHERE id = 1),
      '${'0'.repeat(64)}'
    )
    BEGIN
      SELECT RAISE(ABORT, 'audit entry does not link to the chain tail');
    END;

    CREATE TRIGGER audit_anchor_forward BEFORE UPDATE ON audit_anchor
    WHEN NEW.seq < OLD.seq
    BEGIN
      SELECT RAISE(ABORT, 'the audit anchor only moves forward');
    END;
    CREATE TRIGGER audit_anchor_keep BEFORE DELETE ON audit_anchor
    BEGIN
      SELECT RAISE(ABORT, 'the audit anchor cannot be removed');
    END;
  `,
}
