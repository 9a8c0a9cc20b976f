/**
 * Task specs: the file a requester writes to post a task (`zklabel task create --spec task.json`),
 * validated with zod into the escrow's TaskParams, with messages a person can act on.
 */
import { checkClassificationParams, MAX_CLASSES } from "@zklabel/core/classification";
import { RULE_IDS, type RuleParams } from "@zklabel/core/task";
import { parseUnits } from "viem";
import { z } from "zod";

const MAX_WINDOW_SECONDS = 30 * 24 * 3600;
const sixteenBit = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must be at least 0`)
    .max(65_535, `${what} must be at most 65535 (16-bit fixed point)`);

const classes = z
  .array(z.string().trim().min(1, "a class name cannot be empty"), { error: "classes must be a list of names" })
  .min(2, "a task needs at least two classes")
  .max(MAX_CLASSES, `at most ${MAX_CLASSES} classes are supported`)
  .refine((c) => new Set(c).size === c.length, "class names must be unique");

const classification = z.object({
  type: z.literal("classification"),
  classes,
  /** Names of the classes workers may use; all of them when absent. */
  allowed: z.array(z.string()).optional(),
});

const boundingBox = z.object({
  type: z.literal("bbox"),
  classes,
  allowed: z.array(z.string()).optional(),
  minWidth: sixteenBit("minWidth"),
  minHeight: sixteenBit("minHeight"),
});

const sensorRange = z
  .object({
    type: z.literal("sensor"),
    /** Readings outside [lo, hi] make a window an anomaly (label 1). */
    lo: sixteenBit("lo"),
    hi: sixteenBit("hi"),
  })
  .refine((r) => r.lo <= r.hi, { message: "lo must not be above hi", path: ["hi"] });

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");

/** The task spec file. Amounts are decimal strings in token units ("0.001" ETH). */
export const taskSpecSchema = z
  .object({
    title: z.string().trim().min(1, "the task needs a title").max(200, "keep the title under 200 characters"),
    instructions: z.string().trim().min(1, "tell workers what to do in `instructions`"),
    rule: z.discriminatedUnion("type", [classification, boundingBox, sensorRange], {
      error: 'rule.type must be "classification", "bbox" or "sensor"',
    }),
    reward: z.object({
      /** Per labeled item, in token units, e.g. "0.001". */
      perItem: z.string().regex(/^\d+(\.\d+)?$/, 'write the reward as a decimal number in a string, e.g. "0.001"'),
      /** ERC-20 address; ETH when absent. */
      token: address.optional(),
      /** Token decimals (18 for ETH). */
      decimals: z.number().int().min(0).max(36).default(18),
    }),
    /** ISO date-time, or a duration from now: "7d", "12h", "90m". */
    deadline: z.string().refine((d) => parseDeadline(d, 0) !== null, {
      message: 'deadline must be an ISO date-time (2026-12-31T00:00:00Z) or a duration such as "7d", "12h" or "90m"',
    }),
    workerGroup: z.number().int().min(0, "workerGroup is a group id (0 = the open group)").default(0),
    gold: z
      .object({
        minAccuracy: z.number().int().min(1).max(100, "minAccuracy is a percentage, 1 to 100"),
        challengeWindow: z.string().refine((d) => {
          const s = parseDuration(d);
          return s !== null && s > 0 && s <= MAX_WINDOW_SECONDS;
        }, 'challengeWindow must be a duration from "1m" to "30d"'),
      })
      .optional(),
    /** Part of the total to lock now; everything when absent. */
    funding: z
      .string()
      .regex(/^\d+(\.\d+)?$/, "funding must be a decimal number in a string")
      .optional(),
    metadataURI: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    const r = spec.rule;
    if (r.type === "classification" || r.type === "bbox") {
      for (const name of r.allowed ?? []) {
        if (!r.classes.includes(name)) {
          ctx.addIssue({
            code: "custom",
            path: ["rule", "allowed"],
            message: `allowed class "${name}" is not one of the classes (${r.classes.join(", ")})`,
          });
        }
      }
      if (r.allowed && r.allowed.length === 0) {
        ctx.addIssue({ code: "custom", path: ["rule", "allowed"], message: "allow at least one class" });
      }
    }
    if (Number(spec.reward.perItem) === 0) {
      ctx.addIssue({ code: "custom", path: ["reward", "perItem"], message: "the reward per item must be more than 0" });
    }
  });

/** A parsed task spec. */
export type TaskSpec = z.infer<typeof taskSpecSchema>;

/** A spec checked and turned into what the escrow takes (dataset fields come from the manifest). */
export interface ResolvedSpec {
  spec: TaskSpec;
  ruleId: number;
  ruleParams: RuleParams;
  rewardPerItem: bigint;
  token: `0x${string}`;
  deadline: bigint;
  minAccuracy: number;
  challengeWindow: number;
  workerGroupId: bigint;
}

/** Problems in a spec, one sentence each with where it is ("rule.allowed: ..."). */
export class SpecError extends Error {
  override name = "SpecError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `the task spec has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n- ${problems.join("\n- ")}`,
    );
    this.problems = problems;
  }
}

/**
 * Validates a parsed spec (e.g. JSON.parse of the file) and resolves it to escrow parameters.
 * `now` is the Unix time durations count from.
 */
export function resolveTaskSpec(input: unknown, now = Math.floor(Date.now() / 1000)): ResolvedSpec {
  const parsed = taskSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new SpecError(
      parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)),
    );
  }
  const spec = parsed.data;
  const r = spec.rule;
  let ruleParams: RuleParams;
  if (r.type === "sensor") {
    ruleParams = [BigInt(r.lo), BigInt(r.hi), 0n, 0n];
  } else {
    const allowed = r.allowed ?? r.classes;
    const mask = allowed.reduce((m, name) => m | (1n << BigInt(r.classes.indexOf(name))), 0n);
    const problems = checkClassificationParams({ numClasses: r.classes.length, allowedMask: mask });
    if (problems.length) throw new SpecError(problems.map((p) => `rule: ${p}`));
    ruleParams =
      r.type === "bbox"
        ? [BigInt(r.classes.length), mask, BigInt(r.minWidth), BigInt(r.minHeight)]
        : [BigInt(r.classes.length), mask, 0n, 0n];
  }
  const deadline = parseDeadline(spec.deadline, now);
  if (deadline === null || deadline <= now) {
    throw new SpecError([`deadline: ${spec.deadline} is not in the future`]);
  }
  return {
    spec,
    ruleId: RULE_IDS[r.type],
    ruleParams,
    rewardPerItem: parseUnits(spec.reward.perItem, spec.reward.decimals),
    token: (spec.reward.token ?? "0x0000000000000000000000000000000000000000") as `0x${string}`,
    deadline: BigInt(deadline),
    minAccuracy: spec.gold?.minAccuracy ?? 0,
    challengeWindow: spec.gold ? (parseDuration(spec.gold.challengeWindow) ?? 0) : 0,
    workerGroupId: BigInt(spec.workerGroup),
  };
}

/** "7d" / "12h" / "90m" / "30s" in seconds, or null. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as "s" | "m" | "h" | "d"];
}

/** A deadline as Unix seconds: a duration from `now`, or an ISO date-time; null when neither. */
export function parseDeadline(text: string, now: number): number | null {
  const d = parseDuration(text);
  if (d !== null) return now + d;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}
