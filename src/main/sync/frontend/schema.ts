/**
 * The front-end processor's tables in `HN_license`, created and upgraded by numbered migrations
 * (`cli frontend init --url mysql://…`), recorded in `cd_schema_migrations`.
 *
 * Every exchange table carries the exchange columns — `row_guid` (the row's identity: a repeat
 * insert of the same change is a no-op), `cd_batch` (交换批次), `cd_operation` (I/U/D), `cd_time`
 * (同步时间) and `cd_version` — beside its data columns:
 * - `HN_catalog_sync`: catalogue entries an issuer submits (GB/T 36902 catalogue information);
 * - `HN_catalog_release`: the catalogue as the province published it, read by the issuers;
 * - `HN_license_sync`: licence metadata (GB/T 36903) and the OFD file, one row per change.
 * CHECK constraints refuse malformed rows at the door, so a bad row is rejected, not stored.
 */
import type { Connection } from 'mysql2/promise'
import { CounterError } from '../../../shared/errors'
import { connectFrontend, type FrontendUrl } from './connection'

export interface FrontendMigration {
  readonly version: number
  readonly name: string
  readonly statements: readonly string[]
}

const EXCHANGE_COLUMNS = `
  row_guid     CHAR(36)     NOT NULL COMMENT '行唯一标识（交换去重）',
  cd_batch     VARCHAR(64)  NOT NULL COMMENT '交换批次号',
  cd_operation CHAR(1)      NOT NULL COMMENT '操作类型：I 新增，U 更新，D 删除',
  cd_time      DATETIME(3)  NOT NULL COMMENT '同步时间（北京时间）',
  cd_version   INT UNSIGNED NOT NULL COMMENT '数据版本',`

const CATALOGUE_COLUMNS = `
  catalog_code   CHAR(21)     NOT NULL COMMENT '证照类型代码',
  catalog_name   VARCHAR(100) NOT NULL COMMENT '证照类型名称',
  define_dept    VARCHAR(100) NOT NULL COMMENT '证照定义机构',
  holder_types   VARCHAR(100) NOT NULL COMMENT '持证主体代码类型（逗号分隔）',
  face_items     LONGTEXT     NOT NULL COMMENT '照面信息项及校验规则（JSON）',
  validity_rule  VARCHAR(200) NOT NULL COMMENT '有效期规则（JSON）',
  numbering_rule VARCHAR(200) NOT NULL COMMENT '证照编号规则（JSON）',
  template_json  LONGTEXT     NOT NULL COMMENT '证照模板：底图与版式（JSON）',
  template_file  LONGBLOB     NULL     COMMENT '底图文件',`

const CATALOGUE_CHECKS = `
  CONSTRAINT ck_{t}_op CHECK (cd_operation IN ('I', 'U', 'D')),
  CONSTRAINT ck_{t}_code CHECK (catalog_code REGEXP '^[0-9A-Z]{21}$'),
  CONSTRAINT ck_{t}_face CHECK (JSON_VALID(face_items)),
  CONSTRAINT ck_{t}_validity CHECK (JSON_VALID(validity_rule)),
  CONSTRAINT ck_{t}_numbering CHECK (JSON_VALID(numbering_rule)),
  CONSTRAINT ck_{t}_template CHECK (JSON_VALID(template_json))`

export const FRONTEND_MIGRATIONS: readonly FrontendMigration[] = [
  {
    version: 1,
    name: 'exchange tables',
    statements: [
      `CREATE TABLE HN_catalog_sync (${EXCHANGE_COLUMNS}${CATALOGUE_COLUMNS}
        submit_dept_code CHAR(18)   NOT NULL COMMENT '报送单位统一社会信用代码',
        submit_time      DATETIME   NOT NULL COMMENT '报送时间',
        PRIMARY KEY (row_guid),
        KEY ix_catalog_sync_code (catalog_code, cd_version),
        KEY ix_catalog_sync_time (cd_time),${CATALOGUE_CHECKS.replaceAll('{t}', 'catalog_sync')}
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='证照目录报送'`,
      `CREATE TABLE HN_catalog_release (${EXCHANGE_COLUMNS}${CATALOGUE_COLUMNS}
        release_status VARCHAR(8) NOT NULL COMMENT '发布状态：已发布 / 已停用',
        release_time   DATETIME   NOT NULL COMMENT '发布时间',
        PRIMARY KEY (row_guid),
        KEY ix_catalog_release_code (catalog_code, cd_version),
        KEY ix_catalog_release_time (cd_time),${CATALOGUE_CHECKS.replaceAll('{t}', 'catalog_release')},
        CONSTRAINT ck_catalog_release_status CHECK (release_status IN ('已发布', '已停用'))
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='证照目录发布'`,
      `CREATE TABLE HN_license_sync (${EXCHANGE_COLUMNS}
        license_name          VARCHAR(200) NOT NULL COMMENT '证照名称',
        license_type_code     CHAR(21)     NOT NULL COMMENT '证照类型代码',
        license_type_name     VARCHAR(200) NOT NULL COMMENT '证照类型名称',
        license_number        VARCHAR(200) NOT NULL COMMENT '证照编号',
        license_identifier    VARCHAR(128) NOT NULL COMMENT '证照标识',
        issuer_name           VARCHAR(200) NOT NULL COMMENT '颁发机构',
        issuer_code           CHAR(18)     NOT NULL COMMENT '颁发机构代码',
        issue_date            DATE         NOT NULL COMMENT '颁发日期',
        holder_name           VARCHAR(200) NOT NULL COMMENT '持证主体',
        holder_code           VARCHAR(64)  NOT NULL COMMENT '持证主体代码',
        holder_code_type      CHAR(3)      NOT NULL COMMENT '持证主体代码类型代码',
        holder_code_type_name VARCHAR(40)  NOT NULL COMMENT '持证主体代码类型',
        valid_from            DATE         NOT NULL COMMENT '有效期起始',
        valid_to              DATE         NULL     COMMENT '有效期截止（长期为空）',
        valid_long_term       TINYINT(1)   NOT NULL DEFAULT 0 COMMENT '长期有效',
        signer_name           VARCHAR(100) NULL     COMMENT '签章人',
        sign_time             DATETIME(3)  NULL     COMMENT '签章时间',
        seal_name             VARCHAR(100) NULL     COMMENT '签章名称',
        region_code           CHAR(6)      NOT NULL COMMENT '所属管辖属地编码',
        license_status        VARCHAR(16)  NOT NULL COMMENT '证照状态',
        status_action         VARCHAR(20)  NULL     COMMENT '状态变更类型',
        status_reason         VARCHAR(500) NULL     COMMENT '状态变更原因',
        face_data             LONGTEXT     NOT NULL COMMENT '照面信息（JSON）',
        file_format           VARCHAR(8)   NULL     COMMENT '证照文件格式',
        file_sm3              CHAR(64)     NULL     COMMENT '证照文件 SM3 摘要',
        file_size             INT UNSIGNED NULL     COMMENT '证照文件字节数',
        file_content          LONGBLOB     NULL     COMMENT '证照文件（OFD）',
        issue_mode            VARCHAR(8)   NOT NULL COMMENT '生成方式：online / offline / bulk',
        completed_at          DATETIME(3)  NOT NULL COMMENT '业务办结时间',
        push_deadline         DATETIME     NOT NULL COMMENT '推送时限',
        source_terminal       VARCHAR(32)  NOT NULL COMMENT '来源终端',
        PRIMARY KEY (row_guid),
        KEY ix_license_sync_identifier (license_identifier, cd_version),
        KEY ix_license_sync_batch (cd_batch),
        KEY ix_license_sync_time (cd_time),
        CONSTRAINT ck_license_sync_op CHECK (cd_operation IN ('I', 'U', 'D')),
        CONSTRAINT ck_license_sync_identifier CHECK (license_identifier LIKE '1.2.156.3005.2.%'),
        CONSTRAINT ck_license_sync_type CHECK (license_type_code REGEXP '^[0-9A-Z]{21}$'),
        CONSTRAINT ck_license_sync_issuer CHECK (issuer_code REGEXP '^[0-9A-Z]{18}$'),
        CONSTRAINT ck_license_sync_region CHECK (region_code REGEXP '^[0-9]{6}$'),
        CONSTRAINT ck_license_sync_validity CHECK (valid_long_term = 1 OR valid_to IS NOT NULL),
        CONSTRAINT ck_license_sync_face CHECK (JSON_VALID(face_data)),
        CONSTRAINT ck_license_sync_mode CHECK (issue_mode IN ('online', 'offline', 'bulk')),
        CONSTRAINT ck_license_sync_file CHECK (file_content IS NULL OR (file_sm3 IS NOT NULL AND file_size = LENGTH(file_content)))
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='电子证照数据交换'`,
    ],
  },
]

export const FRONTEND_SCHEMA_VERSION = FRONTEND_MIGRATIONS.at(-1)!.version

async function appliedVersions(conn: Connection): Promise<number[] | undefined> {
  const [tables] = await conn.query("SHOW TABLES LIKE 'cd_schema_migrations'")
  if ((tables as unknown[]).length === 0) return undefined
  const [rows] = await conn.query('SELECT version FROM cd_schema_migrations ORDER BY version')
  return (rows as { version: number }[]).map((r) => Number(r.version))
}

/** The schema's version, checked: a missing or newer schema is an error naming the fix. */
export async function checkFrontendSchema(conn: Connection): Promise<number> {
  const applied = await appliedVersions(conn)
  if (!applied || applied.length === 0) throw new CounterError('FRONTEND_SCHEMA_MISSING')
  const found = Math.max(...applied)
  if (found > FRONTEND_SCHEMA_VERSION)
    throw new CounterError('FRONTEND_SCHEMA_TOO_NEW', {
      params: { found, supported: FRONTEND_SCHEMA_VERSION },
    })
  if (found < FRONTEND_SCHEMA_VERSION) throw new CounterError('FRONTEND_SCHEMA_MISSING')
  return found
}

export interface FrontendInitResult {
  readonly database: string
  readonly created: boolean
  readonly applied: number[]
  readonly version: number
}

/** Creates the database if needed and applies the migrations it has not seen. Safe to rerun. */
export async function initFrontend(url: FrontendUrl): Promise<FrontendInitResult> {
  const root = await connectFrontend(url, { database: false })
  let created = false
  try {
    const [dbs] = await root.query('SHOW DATABASES LIKE ?', [url.database])
    if ((dbs as unknown[]).length === 0) {
      await root.query(
        `CREATE DATABASE \`${url.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      )
      created = true
    }
  } finally {
    await root.end().catch(() => root.destroy())
  }
  const conn = await connectFrontend(url)
  try {
    await conn.query(`CREATE TABLE IF NOT EXISTS cd_schema_migrations (
      version    INT UNSIGNED NOT NULL PRIMARY KEY,
      name       VARCHAR(100) NOT NULL,
      applied_at DATETIME(3)  NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='前置机表结构版本'`)
    const applied = new Set((await appliedVersions(conn)) ?? [])
    const newest = Math.max(0, ...applied)
    if (newest > FRONTEND_SCHEMA_VERSION)
      throw new CounterError('FRONTEND_SCHEMA_TOO_NEW', {
        params: { found: newest, supported: FRONTEND_SCHEMA_VERSION },
      })
    const done: number[] = []
    for (const m of FRONTEND_MIGRATIONS) {
      if (applied.has(m.version)) continue
      // MySQL commits DDL implicitly, so each statement is its own step; a migration that
      // stopped half-way is finished by running init again (its statements are idempotent).
      for (const sql of m.statements) {
        await conn.query(sql.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS '))
      }
      await conn.query(
        'INSERT INTO cd_schema_migrations (version, name, applied_at) VALUES (?, ?, NOW(3))',
        [m.version, m.name],
      )
      done.push(m.version)
    }
    return { database: url.database, created, applied: done, version: FRONTEND_SCHEMA_VERSION }
  } finally {
    await conn.end().catch(() => conn.destroy())
  }
}
