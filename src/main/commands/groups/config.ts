import { loadConfigFile } from '../../config'
import { printJson, type Command } from '../command'

export const configCommands: Command[] = [
  {
    path: ['config', 'check'],
    usage: 'config check <file>',
    summary: '检查配置文件',
    run({ positionals }, ctx) {
      const file = positionals[0]
      if (!file) {
        ctx.stderr('用法: config check <file>\n')
        return 64
      }
      const config = loadConfigFile(file)
      printJson(ctx, {
        valid: true,
        mode: config.mode,
        terminal: config.terminal.id,
        library: config.library?.baseUrl ?? null,
      })
      return 0
    },
  },
]
