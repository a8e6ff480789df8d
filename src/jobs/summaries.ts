import { createHash, randomUUID } from 'node:crypto'
import type { AppContext } from '../context.ts'
import type { ChatGroup } from '../generated/prisma/client.ts'
import { queueStored, storeOutgoing, type StoredOutgoing } from '../outbox/outbox.ts'
import { dailyFigures, periodFigures, trend, type ReportFigures, type ReportPeriod } from '../domain/reports/index.ts'
import { trendChartPng } from '../domain/reports/chart.ts'
import { reportLocale, type ReportLocale } from '../domain/reports/messages.ts'
import { isLastDayOfMonth, isLastDayOfQuarter, localDateOf, monthPeriodOf, quarterPeriodOf, weekPeriod, previousPeriod } from '../domain/reports/periods.ts'
import { summaryReply } from '../domain/reports/summary-reply.ts'

/** Monday's weekly report, in the morning of the tenant's zone. */
export const WEEKLY_REPORT_TIME = '09:00'
const SCHEDULER_PREFIX = 'summary:'

interface WantedScheduler {
  id: string
  pattern: string
  tz: string
  groupId: string
  report: 'daily' | 'weekly'
}

const cron = (hhmm: string, weekday = '*') => {
  const [h, m] = hhmm.split(':').map(Number)
  return `${m} ${h} * * ${weekday}`
}

/** Every bound group with summaries on gets a daily scheduler at its own time and a weekly one on Monday morning. */
async function wantedSchedulers(ctx: AppContext): Promise<WantedScheduler[]> {
  const groups = await ctx.prisma.chatGroup.findMany({
    where: { summaryEnabled: true },
    select: { id: true, summaryTime: true, tenant: { select: { timeZone: true } } },
    orderBy: { id: 'asc' },
  })
  return groups.flatMap((g) => [
    { id: `${SCHEDULER_PREFIX}daily:${g.id}`, pattern: cron(g.summaryTime), tz: g.tenant.timeZone, groupId: g.id, report: 'daily' as const },
    { id: `${SCHEDULER_PREFIX}weekly:${g.id}`, pattern: cron(WEEKLY_REPORT_TIME, '1'), tz: g.tenant.timeZone, groupId: g.id, report: 'weekly' as const },
  ])
}

/**
 * Makes the per-group summary schedulers in Redis equal to the database's groups: adds the
 * missing, moves the re-timed, removes those of unbound groups. A fingerprint of the wanted set
 * kept in Redis makes the usual pass one query and two Redis reads; a flush removes the
 * fingerprint with the schedulers, so the next pass rebuilds them all.
 */
export async function syncSummarySchedulers(ctx: AppContext): Promise<{ added: number; removed: number }> {
  const wanted = await wantedSchedulers(ctx)
  const fingerprint = createHash('sha256').update(wanted.map((w) => `${w.id} ${w.pattern} ${w.tz}`).join('\n')).digest('hex')
  const key = `${ctx.config.REDIS_PREFIX}:summary-schedulers`
  const queue = ctx.queues.maintenance
  if ((await ctx.redis.get(key)) === fingerprint) {
    const count = await queue.getJobSchedulersCount()
    if (count >= wanted.length) return { added: 0, removed: 0 }
  }
  const existing = new Map<string, { pattern?: string | null; tz?: string | null }>()
  for (const s of await queue.getJobSchedulers(0, -1, true)) if (s.key.startsWith(SCHEDULER_PREFIX)) existing.set(s.key, { pattern: s.pattern, tz: s.tz })
  let added = 0
  for (const w of wanted) {
    const have = existing.get(w.id)
    existing.delete(w.id)
    if (have && have.pattern === w.pattern && have.tz === w.tz) continue
    await queue.upsertJobScheduler(w.id, { pattern: w.pattern, tz: w.tz }, { name: 'summaries', data: { task: 'summaries', groupId: w.groupId, report: w.report } })
    added++
  }
  for (const id of existing.keys()) await queue.removeJobScheduler(id)
  await ctx.redis.set(key, fingerprint)
  if (added || existing.size) ctx.log.info({ added, removed: existing.size }, 'summary schedulers brought in line with the groups')
  return { added, removed: existing.size }
}

/** The reports one scheduler run posts: the day's, and the month's and quarter's on their last day; Monday's weekly covers the week before. */
function reportsDue(report: 'daily' | 'weekly', today: string, timeZone: string): { runKey: string; period: ReportPeriod }[] {
  if (report === 'weekly') {
    const lastWeek = previousPeriod(weekPeriod(today, timeZone), timeZone)
    return [{ runKey: `week:${lastWeek.startDate}`, period: lastWeek }]
  }
  const due: { runKey: string; period: ReportPeriod }[] = [{ runKey: today, period: { kind: 'day', from: new Date(0), to: new Date(0), startDate: today, endDate: today } }]
  if (isLastDayOfMonth(today)) due.push({ runKey: `month:${today.slice(0, 7)}`, period: monthPeriodOf(today, timeZone) })
  if (isLastDayOfQuarter(today)) {
    const quarter = quarterPeriodOf(today, timeZone)
    due.push({ runKey: `quarter:${quarter.startDate}`, period: quarter })
  }
  return due
}

/** Charts are the same for every group of a tenant and day: drawn once per process, also when many groups run at once. */
const chartCache = new Map<string, Promise<string | undefined>>()

function chartFor(ctx: AppContext, tenantId: string, date: string, locale: ReportLocale): Promise<string | undefined> {
  const key = `${tenantId}:${date}:${locale}`
  const cached = chartCache.get(key)
  if (cached) return cached
  if (chartCache.size > 1000) chartCache.clear()
  const drawn = drawChart(ctx, tenantId, date, locale)
  chartCache.set(key, drawn)
  // A failed drawing is tried again by the next report.
  void drawn.then((id) => id === undefined && chartCache.delete(key))
  return drawn
}

async function drawChart(ctx: AppContext, tenantId: string, date: string, locale: ReportLocale): Promise<string | undefined> {
  try {
    const data = await trend(ctx.prisma, { tenantId, days: 7, until: date })
    const { png, width, height } = trendChartPng(data, locale)
    const image = await ctx.prisma.reportImage.create({ data: { tenantId, png: new Uint8Array(png), width, height }, select: { id: true } })
    return image.id
  } catch (error) {
    // A report without its chart is better than no report.
    ctx.log.warn({ tenantId, err: (error as Error).message }, 'could not draw the trend chart')
    return undefined
  }
}

/**
 * Groups of one tenant and purpose read the same figures: at a shared summary time a tenant's
 * thousand groups compute them once per process, not a thousand times (kept a minute).
 */
const FIGURES_TTL_MS = 60_000
const figuresCache = new Map<string, { at: number; figures: Promise<ReportFigures> }>()

function sharedFigures(ctx: AppContext, group: Pick<ChatGroup, 'tenantId' | 'purpose'>, runKey: string, period: ReportPeriod): Promise<ReportFigures> {
  const key = `${group.tenantId}:${group.purpose}:${runKey}`
  const at = Date.now()
  const cached = figuresCache.get(key)
  if (cached && at - cached.at < FIGURES_TTL_MS) return cached.figures
  for (const [k, v] of figuresCache) if (at - v.at >= FIGURES_TTL_MS) figuresCache.delete(k)
  const figures = figuresForRun(ctx, group, period)
  figuresCache.set(key, { at, figures })
  figures.catch(() => figuresCache.delete(key))
  return figures
}

export function figuresForRun(ctx: AppContext, group: Pick<ChatGroup, 'tenantId' | 'purpose'>, period: ReportPeriod): Promise<ReportFigures> {
  if (period.kind === 'day') return dailyFigures(ctx.prisma, { tenantId: group.tenantId, date: period.startDate, scope: group.purpose })
  return periodFigures(ctx.prisma, { tenantId: group.tenantId, from: period.startDate, to: period.endDate, scope: group.purpose, period })
}

/**
 * Posts a group's due reports once each. The SummaryRun row (unique per group and key) is
 * claimed, and the outgoing message stored with it, in one transaction: two workers, a retried
 * job or a crash mid-send still give one message, which the outbox (or reconciliation) delivers.
 */
export async function runGroupSummaries(ctx: AppContext, input: { groupId: string; report: 'daily' | 'weekly'; now?: Date }): Promise<number> {
  const now = input.now ?? ctx.clock.now()
  const group = await ctx.prisma.chatGroup.findUnique({ where: { id: input.groupId }, include: { tenant: { select: { timeZone: true, locale: true } } } })
  if (!group || !group.summaryEnabled) return 0
  const today = localDateOf(now, group.tenant.timeZone)
  const locale = reportLocale(group.tenant.locale)
  let posted = 0
  for (const { runKey, period } of reportsDue(input.report, today, group.tenant.timeZone)) {
    const done = await ctx.prisma.summaryRun.findUnique({ where: { groupId_forDate: { groupId: group.id, forDate: runKey } }, select: { id: true } })
    if (done) continue
    const figures = await sharedFigures(ctx, group, runKey, period)
    const imageId = period.kind === 'day' ? await chartFor(ctx, group.tenantId, today, locale) : undefined
    const reply = summaryReply(figures, locale, { imageId, workspaceUrl: `${ctx.config.PUBLIC_BASE_URL}/workspace` })
    const stored = await ctx.prisma.$transaction(async (tx): Promise<StoredOutgoing | null> => {
      const runId = randomUUID()
      const claimed = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "SummaryRun" ("id", "tenantId", "groupId", "forDate", "status", "startedAt") VALUES (${runId}, ${group.tenantId}, ${group.id}, ${runKey}, 'running', ${now})
        ON CONFLICT ("groupId", "forDate") DO NOTHING RETURNING "id"`
      if (!claimed.length) return null
      const row = await storeOutgoing(tx, {
        tenantId: group.tenantId,
        platform: group.platform,
        connectionId: group.connectionId,
        groupId: group.id,
        destination: group.platform === 'console' ? group.id : group.externalId,
        reply,
        idempotencyKey: `summary:${runId}`,
      })
      await tx.summaryRun.update({ where: { id: runId }, data: { status: 'sent', messageId: row.id, finishedAt: now } })
      return row
    })
    if (stored) {
      await queueStored(ctx, stored)
      posted++
    }
  }
  return posted
}
