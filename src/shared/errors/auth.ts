/** Staff sign-in, roles, the lock screen, and enterprise identification by CA key. */
import type { ErrorCatalogue } from './types'

export const authErrors = {
  AUTH_NOT_IN_ROSTER: {
    zh: {
      message: '该证书持有人不在本窗口的工作人员名册中',
      hint: '请管理员将您（及证书）加入工作人员名册。',
    },
    en: {
      message: 'The key’s holder is not on this office’s staff roster',
      hint: 'Ask the administrator to add you (and your certificate) to the roster.',
    },
  },
  AUTH_STAFF_DISABLED: {
    zh: { message: '您在工作人员名册中已被停用', hint: '请联系管理员。' },
    en: { message: 'You are disabled on the staff roster', hint: 'Contact the administrator.' },
  },
  AUTH_ROSTER_UNAVAILABLE: {
    zh: {
      message: '无法获取工作人员名册，本机也没有缓存',
      hint: '检查网络后重试，或由管理员放置名册文件（auth.roster.file）。',
    },
    en: {
      message: 'The staff roster cannot be fetched and none is cached',
      hint: 'Check the network and retry, or have the administrator provide the roster file.',
    },
  },
  AUTH_ROSTER_INVALID: {
    zh: { message: '工作人员名册无效：{problem}', hint: '请管理员重新下发名册。' },
    en: {
      message: 'The staff roster is invalid: {problem}',
      hint: 'Ask the administrator to reissue it.',
    },
  },
  AUTH_CHALLENGE_FAILED: {
    zh: {
      message: '登录验证失败：证书设备的签名与证书不符',
      hint: '证书设备中的密钥与证书不匹配，请勿使用该证书，并报告管理员。',
    },
    en: {
      message: 'Sign-in failed: the key’s signature does not match its certificate',
      hint: 'The key and certificate do not match; do not use it and report it.',
    },
  },
  AUTH_ENTERPRISE_KEY: {
    zh: { message: '这是企业证书，不能用于工作人员登录', hint: '请插入工作人员本人的证书。' },
    en: {
      message: 'This is an enterprise key, not a staff key',
      hint: 'Insert your own staff key.',
    },
  },
  AUTH_LOCKED: {
    zh: { message: '窗口已锁定', hint: '请插入您的证书并输入 PIN 码解锁。' },
    en: { message: 'The window is locked', hint: 'Insert your key and enter the PIN to unlock.' },
  },
  AUTH_NOT_LOCKED: {
    zh: { message: '窗口未锁定', hint: '无需解锁。' },
    en: { message: 'The window is not locked', hint: 'Nothing to unlock.' },
  },
  AUTH_WRONG_KEY: {
    zh: {
      message: '解锁需要锁定前登录的同一张证书',
      hint: '请插入 {name} 的证书；换人办理请先退出登录。',
    },
    en: {
      message: 'Unlocking needs the key that was signed in',
      hint: 'Insert {name}’s key; to change clerk, sign out first.',
    },
  },
  AUTH_BUSY: {
    zh: { message: '正在验证证书，请稍候', hint: '验证完成前请勿拔出证书。' },
    en: { message: 'Checking the key, please wait', hint: 'Keep the key in until it finishes.' },
  },
  AUTH_ALREADY_SIGNED_IN: {
    zh: { message: '已有工作人员登录', hint: '请先退出登录再换人。' },
    en: { message: 'Someone is already signed in', hint: 'Sign out first to change clerk.' },
  },
} as const satisfies ErrorCatalogue
