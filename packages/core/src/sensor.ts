import { batchCount } from "./batch.ts";
import type { Encrypted } from "./encryption.ts";
import { assertField } from "./field.ts";
import { type BatchSource, DatasetTree, datasetChunk, log2Exact, MAX_CHUNK } from "./merkle.ts";
import { poseidon } from "./poseidon.ts";
import type { CircuitInfo } from "./registry.ts";
import type { RuleParams, TaskBinding } from "./task.ts";
import { ruleWorkerInput, type WorkerContext } from "./worker.ts";

/** Rule id of sensor range (RULE_ID in circuits/sensor_range.circom). */
export const SENSOR_RULE_ID = 3;
/** Sensor labels are one bit: 1 = anomaly. */
export const SENSOR_LABEL_BITS = 1;

/** Sensor-range parameters: a window is an anomaly iff some reading is outside [lo, hi] (16-bit fixed point). */
export interface SensorParams {
  lo: number;
  hi: number;
}

export const sensorRuleParams = (p: SensorParams): RuleParams => [BigInt(p.lo), BigInt(p.hi), 0n, 0n];

function checkReading(v: number, what: string) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff)
    throw new RangeError(`${what} must be a 16-bit fixed-point value 0..65535, got ${v}`);
}

/** Leaf of a sensor item: Poseidon of its T readings. */
export function sensorLeaf(readings: readonly number[]): bigint {
  for (const [j, r] of readings.entries()) checkReading(r, `reading ${j}`);
  return poseidon(readings.map(BigInt));
}

/** The dataset tree of sensor windows. */
export function sensorDatasetTree(
  depth: number,
  windows: readonly (readonly number[])[],
  chunk: number = MAX_CHUNK,
): DatasetTree {
  return new DatasetTree(depth, windows.map(sensorLeaf), chunk);
}

/** The task's rule applied to one window: 1 iff some reading is outside [lo, hi]. */
export function sensorRule(readings: readonly number[], p: SensorParams): 0 | 1 {
  return readings.some((r) => r < p.lo || r > p.hi) ? 1 : 0;
}

/** Each label that disagrees with the rule, in words, numbered by dataset item. */
export function checkSensorLabels(
  labels: readonly number[],
  windows: readonly (readonly number[])[],
  p: SensorParams,
  firstItem = 0,
): string[] {
  const errors: string[] = [];
  labels.forEach((label, i) => {
    const item = firstItem + i;
    const want = sensorRule(windows[i], p);
    if (label !== 0 && label !== 1) errors.push(`item ${item}: label ${label} is neither 0 (normal) nor 1 (anomaly)`);
    else if (label !== want) {
      const j = windows[i].findIndex((r) => r < p.lo || r > p.hi);
      errors.push(
        want === 1
          ? `item ${item}: labeled normal but reading ${j} = ${windows[i][j]} is outside [${p.lo}, ${p.hi}]`
          : `item ${item}: labeled anomaly but every reading is inside [${p.lo}, ${p.hi}]`,
      );
    }
  });
  return errors;
}

/** Everything a worker needs to prove one sensor batch with SensorWorkerBatch. */
export interface SensorWorkerRequest extends WorkerContext {
  circuit: CircuitInfo;
  /** Every window of the dataset; or, with `slice`, only the windows of batch `batchIndex`. */
  windows: readonly (readonly number[])[];
  /** The batch's slice of the dataset tree (what a vault serves) and the dataset's item count. */
  slice?: { source: BatchSource; itemCount: number };
  task: Omit<TaskBinding, "ruleParamsHash" | "datasetRoot">;
  params: SensorParams;
  batchIndex: number;
  labels: readonly number[];
  salt: bigint;
  recipient: bigint;
}

/** Witness input and public signals of SensorWorkerBatch; refuses labels that disagree with the readings. */
export function sensorWorkerInput(r: SensorWorkerRequest): {
  input: Record<string, string | string[] | string[][]>;
  publicSignals: bigint[];
  encrypted: Encrypted;
} {
  const { N, DEPTH, T } = r.circuit.params;
  log2Exact(N);
  checkReading(r.params.lo, "lo");
  checkReading(r.params.hi, "hi");
  const count = batchCount(r.slice?.itemCount ?? r.windows.length, N, r.batchIndex, r.labels.length);
  const batch = r.slice ? r.windows.slice(0, count) : r.windows.slice(r.batchIndex * N, r.batchIndex * N + count);
  if (batch.length !== count) throw new RangeError(`batch ${r.batchIndex} has ${count} items, got ${batch.length}`);
  for (const [i, w] of batch.entries()) {
    if (w.length !== T)
      throw new RangeError(`item ${r.batchIndex * N + i}: a window has ${T} readings, got ${w.length}`);
  }
  const violations = checkSensorLabels(r.labels, batch, r.params, r.batchIndex * N);
  if (violations.length) throw new RangeError(violations.join("; "));
  assertField(r.salt, "salt");

  const tree: BatchSource = r.slice?.source ?? sensorDatasetTree(DEPTH, r.windows, datasetChunk(N));
  if (r.slice) {
    const leaves = tree.batchLeaves(r.batchIndex, N);
    batch.forEach((w, i) => {
      if (sensorLeaf(w) !== leaves[i])
        throw new RangeError(`item ${r.batchIndex * N + i}: its readings do not match the dataset`);
    });
  }
  const labels = Array.from({ length: N }, (_, i) => BigInt(r.labels[i] ?? 0));
  const s = (x: bigint | number) => x.toString();
  const shared = ruleWorkerInput({
    circuit: r.circuit,
    worker: r,
    task: r.task,
    datasetRoot: tree.root,
    ruleId: SENSOR_RULE_ID,
    ruleParams: sensorRuleParams(r.params),
    labels,
    labelBits: SENSOR_LABEL_BITS,
    salt: r.salt,
    recipient: r.recipient,
    batchIndex: r.batchIndex,
    count,
  });
  const input = {
    ...shared.input,
    readings: Array.from({ length: N }, (_, i) => (batch[i] ?? Array(T).fill(0)).map(s)),
    labels: labels.map(s),
    pathSiblings: tree.batchPath(r.batchIndex, N).map(s),
  };
  return { input, publicSignals: shared.publicSignals, encrypted: shared.encrypted };
}
