const mainlandMobile = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g

/** Masks mainland mobile numbers for group chats and summaries: 13800138000 → 138****8000. */
export function maskPhones(text: string): string {
  return text.replace(mainlandMobile, '$1****$2')
}
