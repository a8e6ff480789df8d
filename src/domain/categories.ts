/** Repair categories ("items" in the procedures). Repeat detection groups by unit + category. */
export const repairCategories = ['水', '电', '门窗', '电梯', '空调', '燃气', '网络', '工程', '其他'] as const
export type RepairCategory = (typeof repairCategories)[number]

export const fallbackCategory: RepairCategory = '其他'

const keywords: Record<Exclude<RepairCategory, '其他'>, string[]> = {
  水: ['水', '漏水', '渗水', '水管', '水龙头', '马桶', '下水', '堵塞', '地漏', '热水器'],
  电: ['电', '灯', '插座', '开关', '跳闸', '停电', '电路', '电线'],
  门窗: ['门', '窗', '锁', '门禁', '玻璃'],
  电梯: ['电梯', '扶梯'],
  空调: ['空调', '冷气', '暖气', '地暖'],
  燃气: ['燃气', '煤气', '天然气', '燃气灶'],
  网络: ['网络', '宽带', '网线', 'wifi', 'WiFi', 'WIFI', '无线网'],
  工程: ['墙', '墙面', '装修', '防水', '工程', '吊顶', '地砖', '瓷砖', '裂缝', '天花'],
}

/**
 * Guesses the category of a repair description. The longest matching keyword wins (防水 beats 水,
 * 电梯 beats 电); on a tie the one mentioned first wins (空调漏水 → 空调).
 */
export function inferCategory(description: string): RepairCategory {
  let best: { category: RepairCategory; length: number; index: number } | null = null
  for (const [category, words] of Object.entries(keywords) as [RepairCategory, string[]][]) {
    for (const word of words) {
      const index = description.indexOf(word)
      if (index < 0) continue
      const better = !best || word.length > best.length || (word.length === best.length && index < best.index)
      if (better) best = { category, length: word.length, index }
    }
  }
  return best?.category ?? fallbackCategory
}

/** Categories are free text so tenants can add their own; only trim and bound them. */
export function normalizeCategory(category: string): string | null {
  const trimmed = category.trim()
  return trimmed.length > 0 && trimmed.length <= 20 ? trimmed : null
}

/** Units are typed by hand: full-width digits and dashes, spaces and case must not split repeats. */
export function normalizeUnit(unit: string): string {
  return unit
    .normalize('NFKC')
    .replace(/[—–－‐]/g, '-')
    .replace(/\s+/g, '')
    .toUpperCase()
}
