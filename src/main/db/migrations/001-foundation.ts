import type { Migration } from '../migration'

export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  sql: `
    -- The active matter catalogue, kept so that a field office can work offline.
    CREATE TABLE matter_catalogue (
      id        INTEGER PRIMARY KEY CHECK (id = 1),
      version   TEXT NOT NULL,
      source    TEXT NOT NULL,
      body      TEXT NOT NULL,
      loaded_at TEXT NOT NULL
    ) STRICT;
  `,
}
