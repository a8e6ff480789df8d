/**
 * Reports: one definition per figure, read by the chat summaries and the web workspace alike.
 * Every function only reads and returns plain data; rendering lives with the caller.
 */
export { dailyFigures, periodFigures, type ReportReader } from './figures.ts'
export { trend } from './trend.ts'
export { dayPeriod, weekPeriod, monthPeriodOf, quarterPeriodOf, periodContaining, previousPeriod, localDateOf } from './periods.ts'
export type * from './types.ts'
