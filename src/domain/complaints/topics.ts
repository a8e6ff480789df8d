/**
 * What a complaint is about, and the department that usually answers for it. Repeat detection
 * groups by topic; the department is only a suggestion the desk can change (转交).
 */
const topics: { topic: string; words: string[]; department: string | null }[] = [
  { topic: '保安', words: ['保安', '门岗', '巡逻', '门卫', '陌生人'], department: '保安部' },
  { topic: '卫生', words: ['垃圾', '卫生', '保洁', '清洁', '异味', '脏'], department: '保洁部' },
  { topic: '收费', words: ['物业费', '收费', '乱收费', '多收', '账单', '停车费'], department: '财务部' },
  { topic: '漏水', words: ['漏水', '渗水', '水管'], department: '工程部' },
  { topic: '电梯', words: ['电梯', '困人'], department: '工程部' },
  { topic: '噪音', words: ['噪音', '噪声', '装修', '太吵', '吵闹'], department: null },
  { topic: '停车', words: ['车位', '停车', '车库', '地库'], department: null },
]

export const fallbackTopic = '其他'

/** The longest keyword wins; on a tie the one mentioned first (as for repair categories). */
export function inferTopic(content: string): { topic: string; department: string | null } {
  let best: { topic: string; department: string | null; length: number; index: number } | null = null
  for (const { topic, words, department } of topics) {
    for (const word of words) {
      const index = content.indexOf(word)
      if (index < 0) continue
      if (!best || word.length > best.length || (word.length === best.length && index < best.index)) best = { topic, department, length: word.length, index }
    }
  }
  return best ? { topic: best.topic, department: best.department } : { topic: fallbackTopic, department: null }
}
