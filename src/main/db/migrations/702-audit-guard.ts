import type { Migration } from '../migration'

/**
 * Hardens the access log's own guard (700). The first triggers could be walked round:
 * `INSERT OR REPLACE` removes a conflicting entry without firing a delete trigger (SQLite runs
 * none for REPLACE while recursive_triggers is off), the retention trigger was fixed at three
 * years whatever `audit.retentionYears` said, and it trusted each entry's own `at`, which an
 * insert could set to any time. Now:
 * - an entry is accepted only as the next one: its seq follows the tail (or the pruned anchor),
 *   its `at` is a canonical UTC instant not before the tail's, and it links to the tail's hash;
 * - an insert that would meet an existing seq or hash is refused before REPLACE can remove
 *   anything, and the anchor and the retention policy cannot be replaced either;
 * - deleting is refused inside the retention the terminal is configured with (`audit_policy`,
 *   set by the app from `audit.retentionYears`; never below three years).
 */
export const auditGuard: Migration = {
  version: 702,
  name: 'audit-guard',
  sql: `
    CREATE TABLE audit_policy (
      id              INTEGER PRIMARY KEY CHECK (id = 1),
      retention_years INTEGER NOT NULL CHECK (retention_years >= 3)
    ) STRICT;
    INSERT INTO audit_policy (id, retention_years) VALUES (1, 3);

    CREATE TRIGGER audit_policy_keep BEFORE DELETE ON audit_policy
    BEGIN
      SELECT RAISE(ABORT, 'the audit retention policy cannot be removed');
    END;
    CREATE TRIGGER audit_policy_single BEFORE INSERT ON audit_policy
    WHEN EXISTS (SELECT 1 FROM audit_policy)
    BEGIN
      SELECT RAISE(ABORT, 'the audit retention policy is changed by UPDATE only');
    END;

    DROP TRIGGER audit_log_retention;
    CREATE TRIGGER audit_log_retention BEFORE DELETE ON audit_log
    WHEN julianday(OLD.at) IS NULL
      OR julianday(OLD.at) > julianday('now', printf('-%d years',
           max(3, coalesce((SELECT retention_years FROM audit_policy WHERE id = 1), 3))))
    BEGIN
      SELECT RAISE(ABORT, 'audit entries are kept at least 3 years (longer when configured)');
    END;

    -- Before anything else: REPLACE would otherwise delete the entry it collides with.
    CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq OR hash = NEW.hash)
    BEGIN
      SELECT RAISE(ABORT, 'audit entries are never replaced');
    END;

    CREATE TRIGGER audit_log_next_seq BEFORE INSERT ON audit_log
    WHEN NEW.seq IS NOT (coalesce(
      (SELECT max(seq) FROM audit_log),
      (SELECT seq FROM audit_anchor WHERE id = 1),
      0
    ) + 1)
    BEGIN
      SELECT RAISE(ABORT, 'audit entry does not append: its seq must follow the tail');
    END;

    -- Canonical form keeps text order equal to time order, which the log's date filters rely on.
    CREATE TRIGGER audit_log_next_at BEFORE INSERT ON audit_log
    WHEN julianday(NEW.at) IS NULL
      OR NEW.at IS NOT strftime('%Y-%m-%dT%H:%M:%fZ', NEW.at)
      OR julianday(NEW.at) < coalesce(
           (SELECT julianday(at) FROM audit_log ORDER BY seq DESC LIMIT 1),
           (SELECT julianday(pruned_at) FROM audit_anchor WHERE id = 1),
           0)
    BEGIN
      SELECT RAISE(ABORT, 'audit entry does not append: its time is before the tail');
    END;

    CREATE TRIGGER audit_anchor_single BEFORE INSERT ON audit_anchor
    WHEN EXISTS (SELECT 1 FROM audit_anchor)
    BEGIN
      SELECT RAISE(ABORT, 'the audit anchor is moved by UPDATE only');
    END;
  `,
}
