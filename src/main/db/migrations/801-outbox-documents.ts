import type { Migration } from '../migration'

/**
 * Sealed payloads and documents move out of the rows the pusher scans. SQLite reads a row's
 * columns in order, and a 60 KB document stored before `state` or `deadline_ms` meant every
 * claim walked every queued document's overflow pages; now the outbox and licence rows stay a
 * few hundred bytes and the blobs are read only for the items actually claimed or opened.
 */
export const outboxDocuments: Migration = {
  version: 801,
  name: 'outbox documents apart',
  sql: `
    CREATE TABLE outbox_documents (
      outbox_id    INTEGER PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
      payload_box  BLOB NOT NULL,
      document_box BLOB
    ) STRICT;
    INSERT INTO outbox_documents (outbox_id, payload_box, document_box)
      SELECT id, payload_box, document_box FROM outbox;
    ALTER TABLE outbox DROP COLUMN payload_box;
    ALTER TABLE outbox DROP COLUMN document_box;
    CREATE INDEX outbox_claim ON outbox (state, deadline_ms, id);

    CREATE TABLE issued_documents (
      identifier   TEXT PRIMARY KEY REFERENCES issued_licences (identifier),
      document_box BLOB NOT NULL
    ) STRICT;
    INSERT INTO issued_documents (identifier, document_box)
      SELECT identifier, document_box FROM issued_licences;
    ALTER TABLE issued_licences DROP COLUMN document_box;
  `,
}
