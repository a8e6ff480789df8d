import type { ArgType } from '../catalog.ts'
import type { InvalidReason } from '../parse/values.ts'

/** Chinese (default) wording of everything the command layer says. en-US.ts mirrors this shape. */
export const zhCN = {
  listSeparator: '、',
  quote: (text: string) => `「${text}」`,
  usage: {
    required: (label: string) => `<${label}>`,
    optional: (label: string) => `[${label}]`,
  },
  help: {
    heading: '可用命令',
    line: (name: string, help: string) => `**${name}** — ${help}`,
    footer: (example: string) => `发送「${example}」查看某个命令的详细用法。`,
    none: '您目前没有可用的命令，请联系管理员授权。',
  },
  command: {
    heading: (name: string, help: string) => `${name}：${help}`,
    usage: (usage: string) => `用法：${usage}`,
    aliases: (names: string) => `也可以说：${names}`,
    arguments: '参数：',
    argument: (label: string, hint: string, optional: boolean) => `• ${label}${optional ? '（可选）' : ''}：${hint}`,
    examples: '示例：',
    example: (text: string) => `• ${text}`,
  },
  errors: {
    unknownCommand: (input: string) => `没有「${input}」这个命令。`,
    didYouMean: (names: string) => `您是不是想用：${names}？`,
    seeHelp: '发送「帮助」查看可用命令。',
    notACommand: '没看懂这条消息。发送「帮助」查看可用命令。',
    missing: (label: string) => `缺少${label}。`,
    invalid: {
      format: (label: string, value: string) => `无法识别的${label}：「${value}」。`,
      past: (label: string, value: string) => `${label}「${value}」已经过去了，请换一个以后的时间。`,
      'ambiguous-time': (_label: string, value: string) => `「${value}」今天已经过了，请写明日期或上午/下午，例如「明天上午9点」。`,
      future: (label: string, value: string) => `${label}「${value}」还没到，请写已经过去的时间，例如「收到 9:20」。`,
      range: (_label: string, value: string) => `「${value}」的结束时间早于开始时间。`,
      'out-of-range': (label: string, value: string) => `${label}「${value}」超出范围。`,
      'unknown-command': (_label: string, value: string) => `没有「${value}」这个命令。`,
    } satisfies Record<InvalidReason, (label: string, value: string) => string>,
    hint: (label: string, hint: string) => `${label}：${hint}`,
    usage: (usage: string) => `用法：${usage}`,
    example: (text: string) => `示例：${text}`,
  },
  typeHints: {
    ticket: '工单号，如 #1023 或 1023号',
    unit: '如 3-2-501、3栋2单元501、A座1203',
    text: '文字说明',
    choice: (words: string) => `可选 ${words}`,
    phone: '手机号如 13800138000，或座机如 010-12345678',
    datetime: '如 明天下午3点、周五 14:00-16:00、11月25日上午10点',
    member: '用 @ 选择群成员',
    fee: '如 材料费30元',
    rating: '1 到 5 分',
    code: '管理后台生成的绑定码，如 FD-7K2Q9X',
    command: '命令名，如 报修',
  } satisfies Record<ArgType, string | ((words: string) => string)>,
}

export type Messages = typeof zhCN
