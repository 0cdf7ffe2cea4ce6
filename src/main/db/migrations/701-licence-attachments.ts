import type { Migration } from '../migration'

/**
 * Licences chosen as application materials for a business serial number. The record holds what
 * the business system needs to find the export again — masked holder, identifiers, file digests
 * — and no licence content.
 */
export const licenceAttachments: Migration = {
  version: 701,
  name: 'licence-attachments',
  sql: `
    CREATE TABLE licence_attachment (
      id              INTEGER PRIMARY KEY,
      business_serial TEXT NOT NULL,
      matter_code     TEXT NOT NULL,
      holder          TEXT NOT NULL,
      staff_cert      TEXT NOT NULL,
      terminal        TEXT NOT NULL,
      created_at      TEXT NOT NULL,
      export_path     TEXT NOT NULL,
      items           TEXT NOT NULL
    ) STRICT;
    CREATE INDEX licence_attachment_serial ON licence_attachment (business_serial);
  `,
}
