import { z } from "zod";
import { batchItemCount } from "../batch.ts";
import { itemName } from "../display.ts";
import { ruleWorkerInput } from "../envelope.ts";
import { refuseIssues, ZkLabelError } from "../errors.ts";
import { assertField, contentHash, SNARK_SCALAR_FIELD } from "../field.ts";
import { parseSensorWindow } from "../items.ts";
import { DatasetTree, datasetChunk, log2Exact, MAX_CHUNK } from "../merkle.ts";
import { poseidon } from "../poseidon.ts";
import type { RuleParams } from "../task.ts";
import type { ItemFacts, RuleBatchRequest, RuleIssue, RuleSpec, WorkerInput } from "./types.ts";

/** Rule id of sensor range (RULE_ID in circuits/sensor_range.circom). */
export const SENSOR_RULE_ID = 3;
/** Sensor labels are one bit: 1 = anomaly. */
export const SENSOR_LABEL_BITS = 1;

/** Sensor-range parameters: a window is an anomaly iff some reading is outside [lo, hi] (16-bit fixed point). */
export interface SensorParams {
  lo: number;
  hi: number;
}

/**
 * A committed reading. sensorLeaf commits 16-bit fixed-point values only, but a
 * dataset built by other tools can commit any field element, and the worker
 * side (provenSensorLabel, checkSensorLabels, sensorWorkerInput) takes what the
 * circuit takes: an integer in [0, field modulus).
 */
export type SensorReading = number | bigint;

export const sensorRuleParams = (p: SensorParams): RuleParams => [BigInt(p.lo), BigInt(p.hi), 0n, 0n];

const is16Bit = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffff;

function checkReading(v: number, what: string) {
  if (!is16Bit(v))
    throw new ZkLabelError("invalid_input", `${what} must be a 16-bit fixed-point value 0..65535, got ${v}`);
}

function fieldReading(v: SensorReading, what: string): bigint {
  if (typeof v === "number" && !Number.isSafeInteger(v))
    throw new ZkLabelError("invalid_input", `${what} must be an integer, got ${v}`);
  return assertField(BigInt(v), what);
}

/** Poseidon of a window's readings as field elements (no 16-bit check): what the circuit hashes. */
function windowLeaf(readings: readonly SensorReading[]): bigint {
  return poseidon(readings.map((v, j) => fieldReading(v, `reading ${j}`)));
}

/** Leaf of a sensor item: Poseidon of its T readings, each a 16-bit fixed-point value. */
export function sensorLeaf(readings: readonly number[]): bigint {
  for (const [j, r] of readings.entries()) checkReading(r, `reading ${j}`);
  return windowLeaf(readings);
}

/** The dataset tree of sensor windows. */
export function sensorDatasetTree(
  depth: number,
  windows: readonly (readonly number[])[],
  chunk: number = MAX_CHUNK,
): DatasetTree {
  return new DatasetTree(depth, windows.map(sensorLeaf), chunk);
}

/** The task's rule applied to one window of 16-bit readings: 1 iff some reading is outside [lo, hi]. */
export function sensorLabel(readings: readonly number[], p: SensorParams): 0 | 1 {
  return readings.some((r) => r < p.lo || r > p.hi) ? 1 : 0;
}

const TWO16 = 1n << 16n;
const TWO17 = 1n << 17n;

/**
 * How SensorRule compares the field element r with [lo, hi]: it decomposes
 * r - lo + 2^16 and hi - r + 2^16 into 17 bits, whose bit 16 is r >= lo and
 * r <= hi. undefined when a decomposition does not exist (no proof), else
 * whether r is in [lo, hi].
 */
function circuitCompare(r: bigint, p: SensorParams): boolean | undefined {
  const aboveLo = (r - BigInt(p.lo) + TWO16) % SNARK_SCALAR_FIELD;
  const belowHi = (BigInt(p.hi) - r + TWO16 + SNARK_SCALAR_FIELD) % SNARK_SCALAR_FIELD;
  if (aboveLo >= TWO17 || belowHi >= TWO17) return undefined;
  return aboveLo >= TWO16 && belowHi >= TWO16;
}

/**
 * The label SensorWorkerBatch proves for one window, exactly: 0 or 1, or null
 * when no label can be proven. For 16-bit readings this is sensorLabel. A reading
 * that is not a 16-bit value (a dataset sensorLeaf did not build) is compared
 * only when lo - 2^16 <= r < lo + 2^16 and hi - 2^16 < r <= hi + 2^16, r read
 * as a signed integer (p - k as -k); it is then outside [lo, hi] and forces 1
 * (the rule's label), and otherwise no label can be proven for its window.
 */
export function provenSensorLabel(readings: readonly SensorReading[], p: SensorParams): 0 | 1 | null {
  if (!is16Bit(p.lo) || !is16Bit(p.hi)) return null; // the circuit range-checks both to 16 bits
  let label: 0 | 1 = 0;
  for (const [j, v] of readings.entries()) {
    const inRange = circuitCompare(fieldReading(v, `reading ${j}`), p);
    if (inRange === undefined) return null;
    if (!inRange) label = 1;
  }
  return label;
}

/**
 * Each label the circuit would refuse, typed, numbered by dataset item (firstItem + i): empty
 * exactly when every label is the one provenSensorLabel gives for its window.
 */
export function checkSensorLabels(
  labels: readonly number[],
  windows: readonly (readonly SensorReading[])[],
  p: SensorParams,
  firstItem = 0,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const badParams = !is16Bit(p.lo) || !is16Bit(p.hi);
  labels.forEach((label, i) => {
    const item = firstItem + i;
    const at = itemName(item);
    if (badParams) {
      issues.push({
        item,
        code: "bad_range",
        lo: p.lo,
        hi: p.hi,
        message: `${at}: lo = ${p.lo} and hi = ${p.hi} must be 16-bit values: no label can be proven`,
      });
      return;
    }
    const readings = windows[i].map((v, j) => fieldReading(v, `${at}: reading ${j}`));
    const inRange = readings.map((r) => circuitCompare(r, p));
    const far = inRange.indexOf(undefined);
    const out = inRange.indexOf(false);
    if (label !== 0 && label !== 1)
      issues.push({
        item,
        code: "not_a_label",
        label,
        message: `${at}: label ${label} is neither 0 (normal) nor 1 (anomaly)`,
      });
    else if (far >= 0) {
      issues.push({
        item,
        code: "reading_not_comparable",
        reading: far,
        value: readings[far],
        message: `${at}: reading ${far} = ${readings[far]} is not a 16-bit value and too far from [${p.lo}, ${p.hi}] to compare: no label can be proven`,
      });
    } else if (label !== (out >= 0 ? 1 : 0)) {
      issues.push(
        out >= 0
          ? {
              item,
              code: "missed_anomaly",
              reading: out,
              value: readings[out],
              message: `${at}: labeled normal but reading ${out} = ${readings[out]} is outside [${p.lo}, ${p.hi}]`,
            }
          : {
              item,
              code: "false_anomaly",
              message: `${at}: labeled anomaly but every reading is inside [${p.lo}, ${p.hi}]`,
            },
      );
    }
  });
  return issues;
}

/** A window's readings from its facts (a vault serves them, a manifest does not hold them). */
const windowOf = (x: ItemFacts, item: number): readonly SensorReading[] => {
  if (!x.readings) throw new ZkLabelError("invalid_dataset", `${itemName(item)}: its readings are missing`);
  return x.readings;
};

/**
 * Witness input and public signals of SensorWorkerBatch; refuses exactly the labels the circuit
 * refuses (checkSensorLabels). Readings are taken as the circuit takes them, any field element,
 * so a committed window with readings outside 16 bits gets the label the circuit proves for it,
 * or an error.
 */
export function sensorWorkerInput(r: RuleBatchRequest<SensorParams, number>): WorkerInput {
  const { N, T } = r.circuit.params;
  log2Exact(N);
  checkReading(r.params.lo, "lo");
  checkReading(r.params.hi, "hi");
  const count = batchItemCount(r.data.itemCount, N, r.batchIndex, r.labels.length);
  const batch = r.data.items.map((x, i) => windowOf(x, r.batchIndex * N + i));
  if (batch.length !== count)
    throw new ZkLabelError("invalid_input", `batch ${r.batchIndex} has ${count} items, got ${batch.length}`);
  for (const [i, w] of batch.entries()) {
    if (w.length !== T)
      throw new ZkLabelError(
        "invalid_dataset",
        `${itemName(r.batchIndex * N + i)}: a window has ${T} readings, got ${w.length}`,
      );
  }
  refuseIssues(checkSensorLabels(r.labels, batch, r.params, r.batchIndex * N));
  assertField(r.salt, "salt");

  const tree = r.data.source;
  const leaves = tree.batchLeaves(r.batchIndex, N);
  batch.forEach((w, i) => {
    if (windowLeaf(w) !== leaves[i])
      throw new ZkLabelError("wrong_task", `${itemName(r.batchIndex * N + i)}: its readings do not match the dataset`);
  });
  const labels = Array.from({ length: N }, (_, i) => BigInt(r.labels[i] ?? 0));
  const s = (x: bigint | number) => x.toString();
  const shared = ruleWorkerInput(r, {
    datasetRoot: tree.root,
    ruleId: SENSOR_RULE_ID,
    ruleParams: sensorRuleParams(r.params),
    labels,
    labelBits: SENSOR_LABEL_BITS,
    count,
  });
  const input = {
    ...shared.input,
    readings: Array.from({ length: N }, (_, i) => (batch[i] ?? Array(T).fill(0)).map((v) => s(BigInt(v)))),
    labels: labels.map(s),
    pathSiblings: tree.batchPath(r.batchIndex, N).map(s),
  };
  return { input, publicSignals: shared.publicSignals, encrypted: shared.encrypted };
}

const sixteenBit = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must be at least 0`)
    .max(65_535, `${what} must be at most 65535 (16-bit fixed point)`);

/** The labels a sensor task's workers choose from: 0 and 1. */
export const SENSOR_CLASSES = ["normal", "anomaly"] as const;

/** The sensor-range rule: each window's label is 1 exactly when some reading is outside [lo, hi]. */
const sensorSpec = z
  .object({
    type: z.literal("sensor"),
    /** Readings outside [lo, hi] make a window an anomaly (label 1). */
    lo: sixteenBit("lo"),
    hi: sixteenBit("hi"),
  })
  .refine((r) => r.lo <= r.hi, { message: "lo must not be above hi", path: ["hi"] });

/**
 * The sensor-range rule. It has no gold part (RuleSpec.gold): its label is the rule applied to the
 * committed readings, which the worker proof already proves, so there is no answer a gold item
 * could hold beyond it, no gold tree and no rejection circuit (rejectCircuit refuses the rule).
 */
export const sensorRule: RuleSpec<SensorParams, number> & { readonly spec: typeof sensorSpec } = {
  id: SENSOR_RULE_ID,
  name: "sensor",
  title: "Sensor ranges",
  noun: "sensor-range",
  summary: "each window is labeled anomaly exactly when one of its readings is outside [lo, hi]",
  params: z
    .object({ lo: sixteenBit("lo"), hi: sixteenBit("hi") })
    .refine((r) => r.lo <= r.hi, { message: "lo must not be above hi", path: ["hi"] }),
  spec: sensorSpec,
  fromSpec: (r) => {
    const p = r as z.infer<typeof sensorSpec>;
    return { params: { lo: p.lo, hi: p.hi }, classes: [...SENSOR_CLASSES], problems: [] };
  },
  encodeParams: sensorRuleParams,
  decodeParams: (s) => ({ lo: Number(s[0]), hi: Number(s[1]) }),
  checkParams: (p) =>
    [
      is16Bit(p.lo) ? null : `lo must be a 16-bit value 0..65535, got ${p.lo}`,
      is16Bit(p.hi) ? null : `hi must be a 16-bit value 0..65535, got ${p.hi}`,
      p.lo <= p.hi ? null : `lo (${p.lo}) must not be above hi (${p.hi})`,
    ].filter((x): x is string => x !== null),
  classNames: () => [...SENSOR_CLASSES],
  allowedClasses: () => [0, 1],
  labelBits: SENSOR_LABEL_BITS,
  label: z.union([z.literal(0), z.literal(1)]),
  labelValue: (l) => BigInt(l),
  labelFromValue: (v) => Number(v),
  labelClass: (l) => l,
  showLabel: (l) => SENSOR_CLASSES[l] ?? `label ${l}`,
  exportFields: (l) => ({ label: l, className: SENSOR_CLASSES[l] ?? "" }),
  datasetKind: "sensor",
  itemFacts: (bytes, _type, name) => {
    const readings = parseSensorWindow(bytes, name);
    return { contentHash: contentHash(bytes), readings, leaf: sensorLeaf(readings) };
  },
  manifestFields: ["leaf"],
  datasetTree: (depth, batchSize, items) =>
    new DatasetTree(
      depth,
      items.map((x, i) => {
        if (x.leaf === undefined)
          throw new ZkLabelError("invalid_dataset", `${itemName(i)} has no leaf (Poseidon of its readings)`);
        return x.leaf;
      }),
      datasetChunk(batchSize),
    ),
  batchShape: (depth, batchSize) => ({ leaves: batchSize, itemsPerLeaf: 1, depth, chunk: datasetChunk(batchSize) }),
  leavesOf: (items) =>
    items.map((x, i) => {
      if (x.leaf === undefined) throw new ZkLabelError("invalid_dataset", `${itemName(i)} has no leaf`);
      return x.leaf;
    }),
  example: (n, c) => {
    const params = { lo: 500, hi: 50_000 };
    const windows = Array.from({ length: n }, (_, i) =>
      Array.from({ length: c.T ?? 16 }, (_, j) => 1000 + ((i * 37 + j * 11) % 60_000)),
    );
    return {
      params,
      items: windows.map((readings) => ({
        contentHash: contentHash(new TextEncoder().encode(JSON.stringify(readings))),
        readings,
        leaf: sensorLeaf(readings),
      })),
      labels: windows.map((w) => sensorLabel(w, params)),
    };
  },
  checkLabels: (labels, items, p, firstItem) =>
    checkSensorLabels(
      labels,
      items.map((x, i) => windowOf(x, firstItem + i)),
      p,
      firstItem,
    ),
  workerInput: sensorWorkerInput,
};
