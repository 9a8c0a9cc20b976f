"use client";
/**
 * Two hand-drawn SVG charts of a task: verified items over time, and batches by state. Kept by
 * hand on purpose (issue 13, measured with esbuild --minify, gzip -9, React external): this file
 * is 1.7 kB; the same two charts cost 17 kB with @visx/shape + @visx/scale, 23 kB with uPlot,
 * 60 kB with Chart.js and 110 kB with Recharts 3. The canvas libraries would also lose the SVG
 * title and description screen readers get here, and none of them makes a step line and a
 * four-part ring better.
 */
import { batchCounts, type ProgressPoint, progressSeries } from "@/lib/audit";
import { plural } from "@/lib/format";
import type { TaskView } from "@/lib/tasks";
import { dateTime } from "@/lib/time";
import { Loading } from "./Common";

/** The progress and batch-state charts of a task (`blockTime`: block number to unix seconds). */
export function AuditCharts({
  task,
  blockTime,
  now,
  timeError,
}: {
  task: TaskView;
  blockTime: ReadonlyMap<bigint, number>;
  now: number;
  timeError?: string;
}) {
  const series = progressSeries(task, blockTime);
  return (
    <section className="card" aria-labelledby="audit-charts-title">
      <h2 id="audit-charts-title">Progress</h2>
      <div className="audit-charts">
        <figure className="audit-figure">
          <figcaption>
            <h3>Items verified over time</h3>
          </figcaption>
          {timeError ? (
            <p className="error">{timeError}</p>
          ) : series ? (
            <ProgressChart points={series} total={task.info.itemCount} now={now} />
          ) : (
            <Loading what="block times" />
          )}
        </figure>
        <figure className="audit-figure">
          <figcaption>
            <h3>Batches by state</h3>
          </figcaption>
          <StateDonut task={task} />
        </figure>
      </div>
    </section>
  );
}

const W = 520;
const H = 210;
const PAD = { left: 44, right: 16, top: 14, bottom: 34 };

function ProgressChart({ points, total, now }: { points: ProgressPoint[]; total: number; now: number }) {
  const t0 = points[0].time;
  const last = points[points.length - 1];
  const t1 = Math.max(now, last.time, t0 + 60);
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / Math.max(total, 1)) * (H - PAD.top - PAD.bottom);
  let d = `M${x(t0)},${y(0)}`;
  for (const p of points.slice(1)) d += ` H${x(p.time)} V${y(p.items)}`;
  d += ` H${x(t1)}`;
  const done = last.items;
  const summary =
    points.length === 1
      ? `No batch verified yet: 0 of ${total} items since the task was created on ${dateTime(t0)}.`
      : `${done} of ${total} items verified in ${plural(points.length - 1, "batch", "batches")}; the last on ${dateTime(last.time)}.`;
  const ticks = [0, Math.round(total / 2), total].filter((v, i, a) => a.indexOf(v) === i);
  return (
    <>
      <svg
        className="audit-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="audit-progress-title audit-progress-desc"
      >
        <title id="audit-progress-title">Items verified over time</title>
        <desc id="audit-progress-desc">{summary}</desc>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="audit-grid-line" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="audit-axis-text">
              {v}
            </text>
          </g>
        ))}
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} className="audit-axis" />
        <text x={PAD.left} y={H - 10} className="audit-axis-text">
          {shortTime(t0)}
        </text>
        <text x={W - PAD.right} y={H - 10} textAnchor="end" className="audit-axis-text">
          {t1 === now ? "now" : shortTime(t1)}
        </text>
        <path d={`${d} V${y(0)} H${x(t0)} Z`} className="audit-area" />
        <path d={d} className="audit-step" />
        {points.slice(1).map((p) => (
          <circle key={`${p.batch}-${p.items}`} cx={x(p.time)} cy={y(p.items)} r={4} className="audit-dot">
            <title>{`Batch ${p.batch} verified at ${dateTime(p.time)}: ${p.items} items in total`}</title>
          </circle>
        ))}
      </svg>
      <p className="small muted">{summary}</p>
    </>
  );
}

const shortTime = (unix: number) =>
  new Date(unix * 1000).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });

const SEGMENTS = [
  { key: "verified", label: "Verified", cls: "audit-verified" },
  { key: "pending", label: "Pending", cls: "audit-pending" },
  { key: "open", label: "Open", cls: "audit-open" },
] as const;

function StateDonut({ task }: { task: TaskView }) {
  const counts = batchCounts(task);
  const total = task.batches.length;
  const r = 52;
  const circ = 2 * Math.PI * r;
  let offset = 0;
  const arcs = SEGMENTS.map((s) => {
    const len = (counts[s.key] / total) * circ;
    const arc = { ...s, len, offset };
    offset += len;
    return arc;
  });
  const summary = SEGMENTS.map((s) => `${counts[s.key]} ${s.label.toLowerCase()}`).join(", ");
  return (
    <div className="audit-donut-wrap">
      <svg
        className="audit-donut"
        viewBox="0 0 140 140"
        role="img"
        aria-labelledby="audit-donut-title audit-donut-desc"
      >
        <title id="audit-donut-title">Batches by state</title>
        <desc id="audit-donut-desc">{`${plural(total, "batch", "batches")}: ${summary}.`}</desc>
        <circle cx={70} cy={70} r={r} className="audit-donut-track" />
        {arcs
          .filter((a) => a.len > 0)
          .map((a) => (
            <circle
              key={a.key}
              cx={70}
              cy={70}
              r={r}
              className={`audit-donut-arc ${a.cls}`}
              strokeDasharray={`${a.len} ${circ - a.len}`}
              strokeDashoffset={-a.offset}
              transform="rotate(-90 70 70)"
            />
          ))}
        <text x={70} y={68} textAnchor="middle" className="audit-donut-total">
          {counts.verified}/{total}
        </text>
        <text x={70} y={86} textAnchor="middle" className="audit-axis-text">
          verified
        </text>
      </svg>
      <ul className="audit-donut-legend">
        {SEGMENTS.map((s) => (
          <li key={s.key}>
            <span className={`audit-swatch ${s.cls}`} aria-hidden="true" />
            <span>{s.label}</span>
            <strong>{counts[s.key]}</strong>
          </li>
        ))}
        <li data-testid="audit-rejections-count" data-count={counts.rejected}>
          <span className="audit-swatch audit-rejected" aria-hidden="true" />
          <span title="Submissions the requester rejected with a gold proof; each reopened its batch, which is counted in its state now">
            Rejections
          </span>
          <strong>{counts.rejected}</strong>
        </li>
      </ul>
    </div>
  );
}
