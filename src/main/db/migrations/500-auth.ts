import type { Migration } from '../migration'

/** CA keys and staff sign-in: what must survive a restart so that an offline office can work. */
export const auth: Migration = {
  version: 500,
  name: 'auth',
  sql: `
    -- The newest CRL from each CA, imported offline and signature-checked on import.
    CREATE TABLE pki_crl (
      issuer_key  TEXT PRIMARY KEY,
      issuer      TEXT NOT NULL,
      this_update TEXT NOT NULL,
      next_update TEXT,
      crl_number  TEXT,
      der         BLOB NOT NULL,
      source      TEXT NOT NULL,
      imported_at TEXT NOT NULL
    ) STRICT;

    -- The last staff roster fetched, for offline sign-in. Citizen ID numbers are stored only as
    -- salted hashes: matching needs equality, not the numbers.
    CREATE TABLE auth_roster (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      version    TEXT NOT NULL,
      source     TEXT NOT NULL,
      body       TEXT NOT NULL,
      fetched_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE auth_secret (
      id   INTEGER PRIMARY KEY CHECK (id = 1),
      salt BLOB NOT NULL
    ) STRICT;

    -- Wrong PINs counted here for tokens that do not report their own retry counter.
    CREATE TABLE auth_pin_failures (
      certificate     TEXT PRIMARY KEY,
      failures        INTEGER NOT NULL,
      last_failure_at TEXT NOT NULL
    ) STRICT;
  `,
}
