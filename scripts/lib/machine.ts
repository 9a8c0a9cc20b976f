/** What a benchmark result records about the machine it was measured on (bench/results/*.json). */
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

export interface MachineInfo {
  cpu: string | undefined;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** Other work on the machine slows every number: the 1-minute load when the script started, and when timing started. */
  loadAverage1m: { atStart: number; atTimingStart: number };
}

/** The machine, with the load average sampled at the script's start and at the start of timing. */
export function machineInfo(loadAtStart: number, loadAtTiming = loadavg()[0]): MachineInfo {
  return {
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage1m: { atStart: Number(loadAtStart.toFixed(2)), atTimingStart: Number(loadAtTiming.toFixed(2)) },
  };
}

/** Today's date as the results' file names carry it (UTC, YYYY-MM-DD). */
export const today = () => new Date().toISOString().slice(0, 10);
