/**
 * The bench's chart (BENCHMARKS.md): panels of lines against the batch size N, drawn as a plain SVG
 * (no plotting library): N on a log2 axis, each panel's y axis from 0 to a round maximum.
 */

export interface Line {
  name: string;
  /** [N, value] pairs; N a power of two. */
  points: readonly (readonly [number, number])[];
  /** Dashed: a reference (the baseline), not one of ours. */
  dashed?: boolean;
}

export interface Panel {
  title: string;
  yLabel: string;
  lines: readonly Line[];
  /** A log10 y axis (for values that span orders of magnitude). */
  logY?: boolean;
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
const W = 440;
const H = 300;
const M = { left: 64, right: 16, top: 36, bottom: 64 };

/** An axis value short: 1.5k, 2M. */
const tick = (t: number) => (t >= 1e6 ? `${t / 1e6}M` : t >= 1000 ? `${t / 1000}k` : `${t}`);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p;
}

function panelSvg(panel: Panel, x0: number): string {
  const xs = [...new Set(panel.lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const ys = panel.lines.flatMap((l) => l.points.map((p) => p[1])).filter((y) => y > 0);
  const [lo, hi] = [Math.log2(xs[0] ?? 1), Math.log2(xs.at(-1) ?? 2)];
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const px = (n: number) => x0 + M.left + (hi === lo ? pw / 2 : ((Math.log2(n) - lo) / (hi - lo)) * pw);
  let py: (v: number) => number;
  let ticks: number[];
  if (panel.logY) {
    const ylo = Math.floor(Math.log10(Math.min(...ys)));
    const yhi = Math.ceil(Math.log10(Math.max(...ys)));
    py = (v) => M.top + ph - ((Math.log10(v) - ylo) / Math.max(1, yhi - ylo)) * ph;
    ticks = Array.from({ length: yhi - ylo + 1 }, (_, i) => 10 ** (ylo + i));
  } else {
    const top = niceMax(Math.max(...ys));
    py = (v) => M.top + ph - (v / top) * ph;
    ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  }
  const out: string[] = [];
  out.push(
    `<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`,
    `<text transform="translate(${x0 + 14},${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`,
    `<text x="${x0 + M.left + pw / 2}" y="${H - 30}" text-anchor="middle">batch size N (labels per proof)</text>`,
  );
  for (const t of ticks) {
    const y = py(t);
    out.push(
      `<line x1="${x0 + M.left}" x2="${x0 + M.left + pw}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${x0 + M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${tick(t)}</text>`,
    );
  }
  for (const n of xs)
    out.push(`<text x="${px(n)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${n}</text>`);
  panel.lines.forEach((l, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = l.points.filter((p) => p[1] > 0);
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2"${l.dashed ? ' stroke-dasharray="5,4"' : ""} points="${pts.map((p) => `${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(" ")}"/>`,
      ...pts.map((p) => `<circle cx="${px(p[0]).toFixed(1)}" cy="${py(p[1]).toFixed(1)}" r="3" fill="${color}"/>`),
      `<text x="${x0 + M.left + (i % 2) * (pw / 2)}" y="${H - 12 + Math.floor(i / 2) * 13}" font-size="11" fill="${color}">${l.dashed ? "- - " : ""}${esc(l.name)}</text>`,
    );
  });
  return out.join("\n");
}

/** The panels side by side, with a caption line under them. */
export function chartSvg(panels: readonly Panel[], caption: string): string {
  const width = W * panels.length;
  const legendRows = Math.max(...panels.map((p) => Math.ceil(p.lines.length / 2)));
  const height = H + legendRows * 12 + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(panels.map((p) => p.title).join("; "))}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, i * W)),
    `<text x="8" y="${height - 6}" font-size="10" fill="#555">${esc(caption)}</text>`,
    "</svg>",
    "",
  ].join("\n");
}
