/**
 * Task specs: the file a requester writes to post a task (`zklabel task create --spec task.json`),
 * validated with zod into the escrow's TaskParams, with messages a person can act on.
 */
import { ZkLabelError } from "@zklabel/core/errors";
import { ruleByName, ruleSpecSchema } from "@zklabel/core/rules";
import type { RuleParams } from "@zklabel/core/task";
import { parseUnits } from "viem";
import { z } from "zod";

const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");

/** The task spec file. Amounts are decimal strings in token units ("0.001" ETH). */
export const taskSpecSchema = z
  .object({
    title: z.string().trim().min(1, "the task needs a title").max(200, "keep the title under 200 characters"),
    instructions: z.string().trim().min(1, "tell workers what to do in `instructions`"),
    /** The rule and its parameters: see each rule module's `spec` (packages/core/src/rules/). */
    rule: ruleSpecSchema,
    reward: z.object({
      /** Per labeled item, in token units, e.g. "0.001". */
      perItem: z.string().regex(/^\d+(\.\d+)?$/, 'write the reward as a decimal number in quotes, e.g. "0.001"'),
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
        /** How close a label must be to a gold answer to count, in percent, as the rule reads it (boxes: the minimum IoU). */
        threshold: z.number().int().min(0).max(100, "gold.threshold is a percentage, 0 to 100").optional(),
        challengeWindow: z.string().refine((d) => {
          const s = parseDuration(d);
          return s !== null && s > 0 && s <= MAX_WINDOW_SECONDS;
        }, 'challengeWindow must be a duration from "1m" to "30d"'),
      })
      .optional(),
    /** Part of the total to lock now; everything when absent. */
    funding: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'funding must be a decimal number in quotes, e.g. "0.5"')
      .optional(),
    metadataURI: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    const rule = ruleByName(spec.rule.type);
    if (spec.gold && !rule.gold) {
      ctx.addIssue({
        code: "custom",
        path: ["gold"],
        message: `${rule.title} tasks take no gold items: the circuit already fixes each label from the item, so a gold answer adds nothing. Remove "gold".`,
      });
    } else if (spec.gold?.threshold !== undefined && rule.gold) {
      const problem = rule.gold.checkThreshold(spec.gold.threshold);
      if (problem) ctx.addIssue({ code: "custom", path: ["gold", "threshold"], message: problem });
    }
    for (const problem of rule.fromSpec(spec.rule).problems) {
      const [field, ...rest] = problem.split(": ");
      const known = rest.length > 0 && /^[a-z][A-Za-z]*$/.test(field);
      ctx.addIssue({
        code: "custom",
        path: known ? ["rule", field] : ["rule"],
        message: known ? rest.join(": ") : problem,
      });
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
  /** The task's goldThreshold (percent; 0 without gold items and for rules that match exactly). */
  goldThreshold: number;
  challengeWindow: number;
  workerGroupId: bigint;
}

/** Problems in a spec, one sentence each with where it is ("rule.allowed: ..."). */
export class SpecError extends ZkLabelError {
  override name = "SpecError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      "invalid_spec",
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
  const rule = ruleByName(spec.rule.type);
  const ruleParams: RuleParams = rule.encodeParams(rule.fromSpec(spec.rule).params);
  const deadline = parseDeadline(spec.deadline, now);
  if (deadline === null || deadline <= now) {
    throw new SpecError([`deadline: ${spec.deadline} is not in the future`]);
  }
  return {
    spec,
    ruleId: rule.id,
    ruleParams,
    rewardPerItem: parseUnits(spec.reward.perItem, spec.reward.decimals),
    token: (spec.reward.token ?? "0x0000000000000000000000000000000000000000") as `0x${string}`,
    deadline: BigInt(deadline),
    minAccuracy: spec.gold?.minAccuracy ?? 0,
    goldThreshold: spec.gold ? (spec.gold.threshold ?? rule.gold?.defaultThreshold ?? 0) : 0,
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
