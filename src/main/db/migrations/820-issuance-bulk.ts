import type { Migration } from '../migration'

/**
 * Bulk issuance batches. A batch is stored whole when its list has been checked: the catalogue
 * entry it was checked against (public data), and one row per licence with the identifier
 * reserved for it. Each row's personal data (holder, face values) is sealed like the issued
 * licences' (`row_box`); what stays readable is masked. A row turns `issued` in the transaction
 * that writes its licence and outbox item, so after any stop the rows say exactly what was issued.
 */
export const issuanceBulk: Migration = {
  version: 820,
  name: 'issuance bulk batches',
  sql: `
    CREATE TABLE issuance_batches (
      batch_no      TEXT PRIMARY KEY,
      type_code     TEXT NOT NULL,
      type_name     TEXT NOT NULL,
      template      TEXT NOT NULL,
      file_name     TEXT NOT NULL,
      file_sm3      TEXT NOT NULL,
      encoding      TEXT NOT NULL,
      total         INTEGER NOT NULL CHECK (total > 0),
      state         TEXT NOT NULL
                    CHECK (state IN ('ready', 'running', 'stopped', 'done', 'closed')),
      stop_code     TEXT,
      stop_params   TEXT,
      stop_row      INTEGER,
      created_at    TEXT NOT NULL,
      created_by    TEXT NOT NULL,
      started_at    TEXT,
      finished_at   TEXT,
      owner         TEXT,
      heartbeat     TEXT
    ) STRICT;
    CREATE INDEX issuance_batches_created ON issuance_batches (created_at);

    CREATE TABLE issuance_batch_rows (
      batch_no           TEXT NOT NULL REFERENCES issuance_batches (batch_no),
      seq                INTEGER NOT NULL,
      file_row           INTEGER NOT NULL,
      identifier         TEXT NOT NULL UNIQUE,
      number             TEXT NOT NULL,
      holder_type        TEXT NOT NULL,
      holder_masked      TEXT NOT NULL,
      holder_name_masked TEXT NOT NULL,
      row_box            BLOB NOT NULL,
      state              TEXT NOT NULL CHECK (state IN ('pending', 'issued')),
      issued_at          TEXT,
      PRIMARY KEY (batch_no, seq)
    ) STRICT;
    CREATE INDEX issuance_batch_rows_pending ON issuance_batch_rows (batch_no, state, seq);
  `,
}
