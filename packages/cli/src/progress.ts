/**
 * Progress on stderr (stdout is the command's answer): a redrawn line on a terminal, and plain
 * lines, not too many, when stderr is a file or a pipe.
 */
import type { ProveProgress } from "@zklabel/sdk/progress";

/** Proving or downloading stages: a bar redrawn on a terminal, one line per finished stage otherwise. */
export function stageReporter(what: string): (p: ProveProgress) => void {
  return (p) => {
    const bar = "#".repeat(p.index + (p.phase === "done" ? 1 : 0)).padEnd(p.total, ".");
    const line = `${what}: ${p.stage} ${p.phase === "start" ? "…" : "done"} [${bar}] ${(p.elapsedMs / 1000).toFixed(1)} s`;
    if (process.stderr.isTTY)
      process.stderr.write(`\r${line.padEnd(78)}${p.phase === "done" && p.index === p.total - 1 ? "\n" : ""}`);
    else if (p.phase === "done") process.stderr.write(`${line}\n`);
  };
}

/** A count of done items out of a total: a bar on a terminal, a line every two seconds otherwise. */
export function countReporter(what: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (process.stderr.isTTY) {
      const width = 30;
      const fill = Math.round((done / total) * width);
      process.stderr.write(
        `\r${what} [${"#".repeat(fill).padEnd(width, ".")}] ${done}/${total}${done === total ? "\n" : ""}`,
      );
    } else if (done === total || Date.now() - last > 2000) {
      last = Date.now();
      process.stderr.write(`${what}: ${done}/${total} items\n`);
    }
  };
}

/** Seconds since `started`, for "done in 1.2 s". */
export const seconds = (started: number): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
