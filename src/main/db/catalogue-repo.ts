import type { Db } from './open'

export interface StoredCatalogue {
  readonly version: string
  readonly source: string
  readonly body: string
  readonly loadedAt: string
}

export function saveCatalogue(db: Db, c: StoredCatalogue): void {
  db.prepare(
    `INSERT INTO matter_catalogue (id, version, source, body, loaded_at) VALUES (1, @version, @source, @body, @loadedAt)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, source = excluded.source,
       body = excluded.body, loaded_at = excluded.loaded_at`,
  ).run(c)
}

export function loadStoredCatalogue(db: Db): StoredCatalogue | undefined {
  return db
    .prepare(
      'SELECT version, source, body, loaded_at AS loadedAt FROM matter_catalogue WHERE id = 1',
    )
    .get() as StoredCatalogue | undefined
}
