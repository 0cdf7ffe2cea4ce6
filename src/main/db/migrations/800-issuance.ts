import type { Migration } from '../migration'

/**
 * Issuance: the local copy of the published licence catalogue, the serial counter, the licences
 * issued here with their status changes, and the transactional outbox written in the same
 * transaction. Personal fields are stored sealed (AES-GCM, `*_box` columns); what stays readable
 * is what a supervisor needs to see and what carries no personal data (masked forms only).
 */
export const issuance: Migration = {
  version: 800,
  name: 'issuance',
  sql: `
    CREATE TABLE licence_templates (
      type_code   TEXT PRIMARY KEY,
      version     INTEGER NOT NULL,
      body        TEXT NOT NULL,
      source      TEXT NOT NULL,
      released_at TEXT NOT NULL,
      fetched_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE issuance_serials (
      terminal_tag TEXT PRIMARY KEY,
      last_value   INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE issued_licences (
      identifier         TEXT PRIMARY KEY,
      type_code          TEXT NOT NULL,
      type_name          TEXT NOT NULL,
      serial             TEXT NOT NULL,
      status             TEXT NOT NULL,
      version            INTEGER NOT NULL,
      valid_from         TEXT NOT NULL,
      valid_to           TEXT NOT NULL,
      mode               TEXT NOT NULL CHECK (mode IN ('offline', 'bulk', 'online')),
      holder_type        TEXT NOT NULL,
      holder_masked      TEXT NOT NULL,
      holder_name_masked TEXT NOT NULL,
      personal_box       BLOB NOT NULL,
      document_sm3       TEXT NOT NULL,
      document_box       BLOB NOT NULL,
      issued_at          TEXT NOT NULL,
      issued_by          TEXT NOT NULL,
      terminal_id        TEXT NOT NULL,
      batch_no           TEXT
    ) STRICT;
    CREATE INDEX issued_licences_issued_at ON issued_licences (issued_at);

    CREATE TABLE licence_status_changes (
      id          INTEGER PRIMARY KEY,
      identifier  TEXT NOT NULL REFERENCES issued_licences (identifier),
      action      TEXT NOT NULL,
      from_status TEXT NOT NULL,
      to_status   TEXT NOT NULL,
      version     INTEGER NOT NULL,
      valid_to    TEXT,
      reason_box  BLOB NOT NULL,
      changed_at  TEXT NOT NULL,
      changed_by  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX licence_status_changes_licence ON licence_status_changes (identifier, id);

    -- One row per change to deliver, in the order the changes happened (id). Delivered rows are
    -- deleted in the transaction that records them in sync_history.
    CREATE TABLE outbox (
      id                   INTEGER PRIMARY KEY,
      idempotency_key      TEXT NOT NULL UNIQUE,
      kind                 TEXT NOT NULL CHECK (kind IN ('issue', 'status')),
      action               TEXT,
      identifier           TEXT NOT NULL,
      type_code            TEXT NOT NULL,
      type_name            TEXT NOT NULL,
      holder_masked        TEXT NOT NULL,
      mode                 TEXT NOT NULL CHECK (mode IN ('offline', 'bulk', 'online')),
      version              INTEGER NOT NULL,
      operation            TEXT NOT NULL CHECK (operation IN ('I', 'U', 'D')),
      payload_box          BLOB NOT NULL,
      document_box         BLOB,
      document_sm3         TEXT,
      document_bytes       INTEGER NOT NULL DEFAULT 0,
      completed_at         TEXT NOT NULL,
      deadline             TEXT NOT NULL,
      deadline_ms          INTEGER NOT NULL,
      deadline_provisional INTEGER NOT NULL CHECK (deadline_provisional IN (0, 1)),
      state                TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'parked')),
      attempts             INTEGER NOT NULL DEFAULT 0,
      last_error_code      TEXT,
      last_error           TEXT,
      next_attempt_ms      INTEGER NOT NULL DEFAULT 0,
      lease_owner          TEXT,
      lease_until_ms       INTEGER,
      parked_at            TEXT,
      alerted              INTEGER NOT NULL DEFAULT 0,
      batch_no             TEXT
    ) STRICT;
    CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);
    CREATE INDEX outbox_licence ON outbox (identifier, id);
    CREATE INDEX outbox_deadline ON outbox (deadline_ms);
  `,
}
