export { migrate, type Migration } from './migration'
export { migrations } from './migrations'
export { openDatabase, type Db, type OpenOptions } from './open'
export { loadStoredCatalogue, saveCatalogue, type StoredCatalogue } from './catalogue-repo'
