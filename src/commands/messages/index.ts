import type { Language } from '../catalog.ts'
import { enUS } from './en-US.ts'
import { zhCN, type Messages } from './zh-CN.ts'

export type { Messages }

const byLanguage: Record<Language, Messages> = { zh: zhCN, en: enUS }

/** The wording for a reply: Chinese unless the command was typed in English. */
export function messagesFor(language: Language): Messages {
  return byLanguage[language]
}
