import type { Migration } from '../migration'

/**
 * Paper archive copies. An archive copy is one licence for one business (or for none): it gets
 * its archive number once, the first time it is painted, and keeps it — every later print of it
 * is a reprint under the same number. Each print is a row in `archive_prints`, pending until its
 * file is complete; a batch lists its items so that a crash can be resumed where it stopped,
 * with the numbers already given.
 */
export const archive: Migration = {
  version: 900,
  name: 'archive',
  sql: `
    CREATE TABLE archive_counters (
      year       INTEGER PRIMARY KEY,
      last_value INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE archive_copies (
      archive_no      TEXT PRIMARY KEY,
      identifier      TEXT NOT NULL,
      business_serial TEXT NOT NULL,
      matter_code     TEXT NOT NULL,
      matter_name     TEXT NOT NULL,
      licence         TEXT NOT NULL,
      issuer_code     TEXT NOT NULL,
      created_at      TEXT NOT NULL,
      UNIQUE (identifier, business_serial)
    ) STRICT;

    CREATE TABLE archive_prints (
      id           INTEGER PRIMARY KEY,
      archive_no   TEXT NOT NULL REFERENCES archive_copies (archive_no),
      print_no     INTEGER NOT NULL,
      state        TEXT NOT NULL CHECK (state IN ('pending', 'done', 'cancelled')),
      batch_id     TEXT NOT NULL,
      printed_at   TEXT NOT NULL,
      staff_name   TEXT NOT NULL,
      staff_code   TEXT NOT NULL,
      staff_role   TEXT NOT NULL,
      terminal     TEXT NOT NULL,
      paper        TEXT NOT NULL,
      pages        INTEGER NOT NULL,
      seal         TEXT NOT NULL,
      verification TEXT NOT NULL,
      qr_expires   TEXT NOT NULL,
      output       TEXT NOT NULL,
      pdf_sha256   TEXT NOT NULL,
      -- The printer the file was sent to, when it was.
      printer      TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX archive_prints_copy ON archive_prints (archive_no, print_no);
    CREATE INDEX archive_prints_at ON archive_prints (printed_at);
    -- A copy's print numbers never repeat among finished prints: 1 is the first, 2+ reprints.
    CREATE UNIQUE INDEX archive_prints_done ON archive_prints (archive_no, print_no)
      WHERE state = 'done';
    -- At most one unfinished print per copy: a resumed batch finishes it instead of adding one.
    CREATE UNIQUE INDEX archive_prints_pending ON archive_prints (archive_no)
      WHERE state = 'pending';

    CREATE TABLE archive_batches (
      id          TEXT PRIMARY KEY,
      created_at  TEXT NOT NULL,
      staff_name  TEXT NOT NULL,
      staff_code  TEXT NOT NULL,
      staff_role  TEXT NOT NULL,
      spec        TEXT NOT NULL,
      state       TEXT NOT NULL
        CHECK (state IN ('running', 'interrupted', 'cancelled', 'done', 'failed')),
      files       TEXT NOT NULL DEFAULT '[]',
      -- Written as the batch works; a running batch whose heartbeat stopped was cut off.
      heartbeat   TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;

    CREATE TABLE archive_batch_items (
      batch_id        TEXT NOT NULL REFERENCES archive_batches (id),
      seq             INTEGER NOT NULL,
      identifier      TEXT NOT NULL,
      business_serial TEXT NOT NULL,
      file_group      TEXT NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
      print_id        INTEGER REFERENCES archive_prints (id),
      error_code      TEXT,
      error_message   TEXT,
      PRIMARY KEY (batch_id, seq)
    ) STRICT;

    -- The office's key for signing archive QR codes, made on first use unless configured.
    CREATE TABLE archive_keys (
      kid         TEXT PRIMARY KEY,
      public_key  TEXT NOT NULL,
      private_key TEXT NOT NULL,
      created_at  TEXT NOT NULL
    ) STRICT;
  `,
}
