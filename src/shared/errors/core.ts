/**
 * The foundation's error codes. Each domain keeps its own catalogue file beside this one and
 * `index.ts` merges them, so adding a domain never means editing someone else's list.
 *
 * `message` is what the clerk reads; `hint` is what to do next. `{name}` placeholders are filled
 * from the error's params.
 */
import type { ErrorCatalogue } from './types'

export const coreErrors = {
  INTERNAL: {
    zh: { message: '程序内部错误', hint: '请重试；如反复出现，请联系运维人员并提供日志。' },
    en: {
      message: 'Internal error',
      hint: 'Try again; if it keeps happening, send the log to support.',
    },
  },
  CONFIG_UNREADABLE: {
    zh: { message: '无法读取配置文件 {file}', hint: '检查文件是否存在且为 UTF-8 编码的 JSON。' },
    en: {
      message: 'Cannot read the configuration file {file}',
      hint: 'Check that the file exists and is UTF-8 JSON.',
    },
  },
  CONFIG_INVALID: {
    zh: {
      message: '配置文件 {file} 中的 {key} 有误：{problem}',
      hint: '按 README 的配置说明改正该项后重新启动。',
    },
    en: {
      message: 'Configuration {file}: {key} is invalid: {problem}',
      hint: 'Fix that key as described in the README and restart.',
    },
  },
  CLI_USAGE: {
    zh: { message: '命令用法有误：{problem}', hint: '用法：{usage}' },
    en: { message: 'Command usage error: {problem}', hint: 'Usage: {usage}' },
  },
  DB_SCHEMA_TOO_NEW: {
    zh: {
      message: '本地数据库由更新版本的程序写过（含本程序不认识的升级 {found}）',
      hint: '请安装最新版本的 CounterDesk，不要用旧版本打开新数据。',
    },
    en: {
      message:
        'The local database was written by a newer program (it has upgrade {found}, unknown here)',
      hint: 'Install the latest CounterDesk; do not open new data with an old version.',
    },
  },
  DB_ALREADY_OPEN: {
    zh: { message: '本地数据库已被打开', hint: '同一台终端只能运行一个 CounterDesk。' },
    en: {
      message: 'The local database is already open',
      hint: 'Only one CounterDesk may run on a terminal.',
    },
  },
  DB_OPEN_FAILED: {
    zh: { message: '无法打开本地数据库', hint: '检查磁盘空间和数据目录权限，然后重新启动。' },
    en: {
      message: 'Cannot open the local database',
      hint: 'Check disk space and data-folder permissions, then restart.',
    },
  },
  DB_DAMAGED: {
    zh: {
      message: '本地数据库文件已损坏或不是数据库：{file}',
      hint: '不要删除该文件；请联系运维人员从备份恢复数据目录。',
    },
    en: {
      message: 'The local database file is damaged or not a database: {file}',
      hint: 'Do not delete the file; ask support to restore the data folder from a backup.',
    },
  },
  IPC_BAD_ARGUMENT: {
    zh: {
      message: '界面发出的请求参数有误（{method}）',
      hint: '请重试；如反复出现，请联系运维人员。',
    },
    en: {
      message: 'Bad request arguments ({method})',
      hint: 'Try again; if it keeps happening, contact support.',
    },
  },
  IPC_FORBIDDEN_SENDER: {
    zh: { message: '拒绝来自非本程序页面的请求', hint: '无需处理；此事件已记录。' },
    en: {
      message: 'Request from a foreign page refused',
      hint: 'Nothing to do; the event was logged.',
    },
  },
  NOT_IN_TRAINING: {
    zh: { message: '该操作仅在培训模式下可用', hint: '正式环境请使用真实设备。' },
    en: { message: 'Only available in training mode', hint: 'Use the real devices in production.' },
  },
  AUTH_REQUIRED: {
    zh: { message: '尚未登录', hint: '请插入工作人员 CA 证书并登录后再查询。' },
    en: { message: 'Not signed in', hint: 'Insert your staff CA key and sign in first.' },
  },
  CATALOGUE_INVALID: {
    zh: { message: '事项目录无效：{problem}', hint: '请联系管理员重新下发事项目录。' },
    en: {
      message: 'The matter catalogue is invalid: {problem}',
      hint: 'Ask the administrator to reissue the catalogue.',
    },
  },
  SCOPE_HOLDER_KIND: {
    zh: {
      message: '该事项不适用于当前办事人类型',
      hint: '个人事项请读取身份证件，企业事项请插入企业 CA 证书。',
    },
    en: {
      message: 'This matter does not apply to this kind of applicant',
      hint: 'Persons: read an ID document; enterprises: insert the CA key.',
    },
  },
  LIBRARY_OFFLINE: {
    zh: { message: '无法连接电子证照库', hint: '检查网络；恢复后按 F5 重新查询。' },
    en: {
      message: 'Cannot reach the e-licence library',
      hint: 'Check the network, then press F5 to query again.',
    },
  },
  LIBRARY_TIMEOUT: {
    zh: { message: '电子证照库响应超时', hint: '稍候按 F5 重新查询。' },
    en: {
      message: 'The e-licence library timed out',
      hint: 'Wait a moment, then press F5 to query again.',
    },
  },
  LIBRARY_UNAUTHORIZED: {
    zh: {
      message: '电子证照库拒绝了本终端的身份（{status}）',
      hint: '请联系管理员检查接入凭证（access id / token）。',
    },
    en: {
      message: 'The e-licence library refused this terminal ({status})',
      hint: 'Ask the administrator to check the access credentials.',
    },
  },
  LIBRARY_SERVER_ERROR: {
    zh: {
      message: '电子证照库服务异常（{status}）',
      hint: '稍候按 F5 重试；持续异常请联系证照库运维。',
    },
    en: {
      message: 'The e-licence library failed ({status})',
      hint: 'Press F5 to retry shortly; report it if it persists.',
    },
  },
  LIBRARY_BAD_RESPONSE: {
    zh: { message: '电子证照库返回的数据无法识别', hint: '请联系运维人员，并提供日志。' },
    en: {
      message: 'The e-licence library sent data that cannot be read',
      hint: 'Contact support with the log.',
    },
  },
  LIBRARY_REJECTED: {
    zh: { message: '电子证照库拒绝了查询：{reason}', hint: '核对事项与持证人后重试。' },
    en: {
      message: 'The e-licence library refused the query: {reason}',
      hint: 'Check the matter and the holder, then try again.',
    },
  },
  SCOPE_NO_HOLDER: {
    zh: { message: '尚未识别办事人', hint: '请先读取身份证（培训模式按 F2）。' },
    en: {
      message: 'No applicant identified yet',
      hint: 'Read an ID card first (F2 in training mode).',
    },
  },
  SCOPE_NO_MATTER: {
    zh: { message: '尚未选择办理事项', hint: '请在事项列表中选择本次办理的事项。' },
    en: { message: 'No matter selected', hint: 'Choose the matter being handled from the list.' },
  },
  SCOPE_UNKNOWN_MATTER: {
    zh: { message: '事项目录中没有编码为 {code} 的事项', hint: '刷新事项目录，或联系管理员。' },
    en: {
      message: 'No matter with code {code} in the catalogue',
      hint: 'Reload the catalogue or ask the administrator.',
    },
  },
  SCOPE_APPLICANT_CHANGED: {
    zh: { message: '办事人已变更，上一位的查询结果已丢弃', hint: '为当前办事人重新查询即可。' },
    en: {
      message: 'The applicant changed; the previous result was discarded',
      hint: 'Query again for the current applicant.',
    },
  },
  TRAINING_UNKNOWN_CARD: {
    zh: { message: '没有编号为 {id} 的培训证件', hint: '从培训面板的列表中选择证件。' },
    en: { message: 'No training card {id}', hint: 'Pick a card from the training panel.' },
  },
  SCOPE_TYPE_NOT_IN_MATTER: {
    zh: {
      message: '证照类型 {type} 不属于当前事项，不能查询',
      hint: '只能查询当前事项所需的证照。',
    },
    en: {
      message: 'Licence type {type} is not part of this matter',
      hint: 'Only the licences this matter needs may be queried.',
    },
  },
} as const satisfies ErrorCatalogue
