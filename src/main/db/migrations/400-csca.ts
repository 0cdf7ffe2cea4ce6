import type { Migration } from '../migration'

/** The CSCA trust store for Passive Authentication of passport and permit chips. */
export const csca: Migration = {
  version: 400,
  name: 'csca-trust-store',
  sql: `
    CREATE TABLE csca_certificates (
      fingerprint TEXT PRIMARY KEY,          -- SHA-256 of the DER, lowercase hex
      country     TEXT,
      subject     TEXT NOT NULL,
      not_before  TEXT NOT NULL,
      not_after   TEXT NOT NULL,
      der         BLOB NOT NULL,
      source      TEXT NOT NULL,             -- the file it came from, or "training"
      imported_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX csca_certificates_country ON csca_certificates (country);
  `,
}
