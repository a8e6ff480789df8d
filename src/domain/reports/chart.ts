import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import type * as Echarts from 'echarts'
import type * as ResvgJs from '@resvg/resvg-js'
import { fill, reportText, type ReportLocale } from './messages.ts'
import type { Trend } from './types.ts'

/** Debian's fonts-wqy-microhei: a CJK font so the Chinese labels are drawn, not boxes. */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'

/**
 * ECharts adds about 86 MB of RSS to a process that imports it, and most processes never draw a
 * chart: it and resvg are loaded on the first chart, synchronously (both ship CommonJS), so the
 * drawing functions keep their signatures.
 */
const load = createRequire(import.meta.url)
let renderers: { echarts: typeof Echarts; Resvg: typeof ResvgJs.Resvg } | undefined
function chartRenderers() {
  renderers ??= { echarts: load('echarts') as typeof Echarts, Resvg: (load('@resvg/resvg-js') as typeof ResvgJs).Resvg }
  return renderers
}

export const CHART_WIDTH = 800
export const CHART_HEIGHT = 400

/** A title naming the days the trend covers, for a chart of any range (the workspace's month or quarter). */
export function rangeChartTitle(trend: Pick<Trend, 'dates'>, locale: ReportLocale): string {
  const [from, to] = [trend.dates[0], trend.dates.at(-1)]
  return from && to ? fill(reportText[locale].chartRangeTitle, { from, to }) : reportText[locale].chartTitle
}

/**
 * The trend as an SVG line chart drawn by ECharts' server-side renderer (no browser, no canvas).
 * The title defaults to the summaries' "近7日趋势"; a chart of another range passes its own.
 */
export function trendChartSvg(trend: Trend, locale: ReportLocale, title: string = reportText[locale].chartTitle): string {
  const chart = chartRenderers().echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT })
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'WenQuanYi Micro Hei, sans-serif' },
      title: { text: title, left: 'center', top: 8 },
      legend: { bottom: 8 },
      grid: { left: 48, right: 24, top: 48, bottom: 64 },
      xAxis: { type: 'category', data: trend.dates.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: trend.series.map((s) => ({ type: 'line', name: reportText[locale].chartSeries[s.key], data: s.values })),
    })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** The chart as a PNG; without the CJK font resvg falls back to the system fonts (labels may lose their glyphs, the chart stays). */
export function trendChartPng(trend: Trend, locale: ReportLocale, title?: string): { png: Buffer; width: number; height: number } {
  const svg = trendChartSvg(trend, locale, title)
  const fontFiles = existsSync(CJK_FONT) ? [CJK_FONT] : []
  const resvg = new (chartRenderers().Resvg)(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: CHART_WIDTH },
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'WenQuanYi Micro Hei' },
  })
  const image = resvg.render()
  return { png: Buffer.from(image.asPng()), width: image.width, height: image.height }
}
