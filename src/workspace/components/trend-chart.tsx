import type { Trend } from '../../domain/reports/index.ts'

const colours = ['#12355b', '#2f7d32', '#b3261e', '#8a4b00', '#5b3f9e', '#00838f']

/**
 * The daily trend as an SVG line chart drawn on the server: no script, scales to any width, and
 * the numbers are those of the chat's report (the same trend() call).
 */
export function TrendChart({ trend, labels, title }: { trend: Trend; labels: Record<string, string>; title: string }) {
  const width = 640
  const height = 240
  const pad = { left: 32, right: 8, top: 12, bottom: 28 }
  const max = Math.max(1, ...trend.series.flatMap((series) => series.values))
  const x = (i: number) => pad.left + (trend.dates.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (trend.dates.length - 1))
  const y = (v: number) => height - pad.bottom - (v * (height - pad.top - pad.bottom)) / max
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} width={width} height={height}>
        <line x1={pad.left} y1={y(0)} x2={width - pad.right} y2={y(0)} stroke="#b8bec6" />
        <text x={4} y={y(max) + 4} font-size="11" fill="#57606a">
          {max}
        </text>
        <text x={4} y={y(0)} font-size="11" fill="#57606a">
          0
        </text>
        {[0, trend.dates.length - 1].filter((i, n, all) => i >= 0 && all.indexOf(i) === n).map((i) => (
          <text x={x(i)} y={height - 8} font-size="11" fill="#57606a" text-anchor={i === 0 ? 'start' : 'end'}>
            {trend.dates[i]}
          </text>
        ))}
        {trend.series.map((series, n) => (
          <polyline fill="none" stroke={colours[n % colours.length]} stroke-width="2" points={series.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
        ))}
      </svg>
      <figcaption>
        {trend.series.map((series, n) => (
          <span class="tag">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={colours[n % colours.length]} />
            </svg>{' '}
            {labels[series.key] ?? series.key} {series.values.reduce((a, b) => a + b, 0)}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
