/** The working-day calendar, the outbox's delivery and the front-end processor. */
import type { ErrorCatalogue } from './types'

const checkNetwork = '检查网络；恢复后会自动补推，无需重复办理。'
const checkNetworkEn = 'Check the network; delivery resumes by itself, nothing needs redoing.'

export const syncErrors = {
  CALENDAR_TABLE_INVALID: {
    zh: { message: '节假日安排数据有误：{problem}', hint: '核对国务院通知原文后重新导入。' },
    en: {
      message: 'The holiday arrangement is invalid: {problem}',
      hint: "Check it against the State Council's notice and import again.",
    },
  },
  CALENDAR_NOTICE_INVALID: {
    zh: {
      message: '节假日通知第 {line} 行无法识别：{problem}',
      hint: '请使用国务院办公厅通知的原文（含“一、元旦：…”各条），不要改动日期写法。',
    },
    en: {
      message: 'Line {line} of the holiday notice cannot be read: {problem}',
      hint: 'Use the notice text as published (items like "一、元旦：…"), dates unchanged.',
    },
  },
  CALENDAR_FILE_INVALID: {
    zh: {
      message: '节假日文件 {file} 无效：{problem}',
      hint: '请导入通知原文（.txt）或本程序导出的 JSON 文件。',
    },
    en: {
      message: 'The holiday file {file} is invalid: {problem}',
      hint: 'Import the notice text (.txt) or a JSON file exported by this program.',
    },
  },
  CALENDAR_FILE_UNREADABLE: {
    zh: { message: '无法读取节假日文件 {file}', hint: '检查文件是否存在且为 UTF-8 文本。' },
    en: {
      message: 'Cannot read the holiday file {file}',
      hint: 'Check that the file exists and is UTF-8 text.',
    },
  },
  CALENDAR_NO_STORE: {
    zh: { message: '没有可保存节假日安排的本地数据库', hint: '请指定配置文件或数据目录后再导入。' },
    en: {
      message: 'No local database to keep the holiday arrangement in',
      hint: 'Name the configuration file or data folder, then import again.',
    },
  },
  CALENDAR_BAD_ARGUMENT: {
    zh: {
      message: '日期或天数有误：{problem}',
      hint: '日期写作 2026-04-03，时间写作 2026-04-03T16:30:00+08:00。',
    },
    en: {
      message: 'Bad date or number of days: {problem}',
      hint: 'Write dates as 2026-04-03 and times as 2026-04-03T16:30:00+08:00.',
    },
  },
  SYNC_FORBIDDEN: {
    zh: {
      message: '当前账号无权进行此操作',
      hint: '推送监控与挂起事项仅限审核人员；导入节假日仅限管理员。',
    },
    en: {
      message: 'Your role may not do this',
      hint: 'The dashboard and parked items are for supervisors; holiday imports for administrators.',
    },
  },
  SYNC_NOT_CONFIGURED: {
    zh: { message: '未配置推送目标', hint: '在配置文件的 sync.target 中选择证照库接口或前置机。' },
    en: {
      message: 'No delivery target is configured',
      hint: 'Choose the library API or the front-end processor in sync.target.',
    },
  },
  SYNC_OFFLINE: {
    zh: { message: '无法连接{target}', hint: checkNetwork },
    en: { message: 'Cannot reach the {target}', hint: checkNetworkEn },
  },
  SYNC_TIMEOUT: {
    zh: { message: '{target}响应超时', hint: checkNetwork },
    en: { message: 'The {target} timed out', hint: checkNetworkEn },
  },
  SYNC_SERVER_ERROR: {
    zh: {
      message: '{target}暂时无法接收（{status}）',
      hint: '稍后会自动重试；持续出现请联系证照库运维。',
    },
    en: {
      message: 'The {target} cannot accept now ({status})',
      hint: 'It retries by itself; if it persists, contact the library operators.',
    },
  },
  SYNC_REFUSED: {
    zh: {
      message: '{target}拒绝了本终端（{status}）',
      hint: '请管理员检查接入凭证或前置机账号；修正前数据留在本机不会丢失。',
    },
    en: {
      message: 'The {target} refused this terminal ({status})',
      hint: 'Ask the administrator to check the credentials; nothing is lost meanwhile.',
    },
  },
  SYNC_BAD_RESPONSE: {
    zh: {
      message: '{target}返回的数据无法识别',
      hint: '稍后会自动重试；请联系运维人员并提供日志。',
    },
    en: {
      message: 'The {target} sent a response that cannot be read',
      hint: 'It retries by itself; contact support with the log.',
    },
  },
  SYNC_REJECTED: {
    zh: { message: '{target}拒收：{reason}', hint: '已转审核人员处理：核对证照信息后重新提交。' },
    en: {
      message: 'The {target} rejected it: {reason}',
      hint: 'Parked for a supervisor: check the licence data, then resubmit.',
    },
  },
  SYNC_DATA_KEY_WRONG: {
    zh: {
      message: '待推送数据无法解密（密钥不符）',
      hint: '请使用原数据密钥启动本程序；数据未被删除。',
    },
    en: {
      message: 'Queued data cannot be decrypted (wrong key)',
      hint: 'Start the program with the original data key; nothing was deleted.',
    },
  },
  SYNC_ITEM_DAMAGED: {
    zh: { message: '一条待推送数据已损坏', hint: '已转审核人员处理；请从签发记录重新生成。' },
    en: {
      message: 'A queued item is damaged',
      hint: 'Parked for a supervisor; regenerate it from the issuance record.',
    },
  },
  FRONTEND_URL_INVALID: {
    zh: {
      message: '前置机地址无效：{problem}',
      hint: '写作 mysql://用户名:密码@主机:3306/HN_license',
    },
    en: {
      message: 'The front-end processor URL is invalid: {problem}',
      hint: 'Write it as mysql://user:password@host:3306/HN_license',
    },
  },
  FRONTEND_SCHEMA_TOO_NEW: {
    zh: {
      message: '前置机表结构版本（{found}）高于本程序（{supported}）',
      hint: '请升级 CounterDesk 后再连接该前置机。',
    },
    en: {
      message: 'The front-end schema (v{found}) is newer than this program (v{supported})',
      hint: 'Upgrade CounterDesk before using this front-end processor.',
    },
  },
  FRONTEND_SCHEMA_MISSING: {
    zh: {
      message: '前置机数据库尚未初始化',
      hint: '请管理员运行 cli frontend init --url mysql://…',
    },
    en: {
      message: 'The front-end database is not initialised',
      hint: 'Ask the administrator to run cli frontend init --url mysql://…',
    },
  },
} as const satisfies ErrorCatalogue
