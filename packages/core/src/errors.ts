import type { RuleIssue } from "./rules/types.ts";
/**
 * One error base for every zkLabel package. Each failure carries a stable `code`: the CLI picks
 * its exit code from it and the app its message, so neither tests `instanceof` across bundles
 * (a Web Worker and the page hold different copies of a class) nor parses message text.
 */

/** Every error kind, with what it means. Codes are part of the API: rename none. */
export const ERROR_CODES = {
  usage: "the command or call is malformed (an unknown flag, a missing argument)",
  invalid_input: "a value the caller gave is out of range or malformed",
  invalid_spec: "the task spec has problems (each listed)",
  invalid_dataset: "the dataset or its manifest has a problem (which item, what to do)",
  unknown_rule: "no rule module has this name or id",
  invalid_params: "a task's rule parameters are outside what its rule accepts: no proof can exist",
  rule_violation: "labels break the task's rule (each issue listed with its item)",
  unprovable: "the circuit refuses the witness: no proof exists for these inputs",
  cancelled: "the caller cancelled the operation",
  wrong_task: "the data does not belong to the task (another root, chain or escrow)",
  contract_reverted: "the contract refused the call (errorName says which custom error)",
  wallet_rejected: "the wallet's owner rejected the request",
  no_wallet: "a write was asked of a client made for reading",
  chain: "the chain or RPC failed, or a transaction reverted without a reason",
  vault_refused: "the data vault refused the request (reason says why)",
  vault_bad_answer: "the vault's answer does not check out against the chain",
  vault_unreachable: "the data vault cannot be reached",
  relayer_refused: "the relayer refused the proof, join or withdrawal (reason says why)",
  relayer_unreachable: "the relayer cannot be reached",
  not_found: "the task, batch or file does not exist",
  old_circuit: "the task takes proofs of an older circuit version than this client proves with",
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes that mean the caller's own data or arguments are wrong (the CLI's "input" exit code). */
const INPUT_CODES: ReadonlySet<ErrorCode> = new Set([
  "invalid_input",
  "invalid_spec",
  "invalid_dataset",
  "unknown_rule",
  "invalid_params",
  "rule_violation",
  "unprovable",
  "wrong_task",
  "not_found",
]);

/** A zkLabel failure in words, with its stable code. */
export class ZkLabelError extends Error {
  override name = "ZkLabelError";
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The code of any thrown value: a ZkLabelError's own (also across bundles, by shape), else undefined. */
export function errorCode(e: unknown): ErrorCode | undefined {
  if (e instanceof ZkLabelError) return e.code;
  if (e instanceof Error && "code" in e && typeof e.code === "string" && Object.hasOwn(ERROR_CODES, e.code))
    return e.code as ErrorCode;
  return undefined;
}

/** How a failure reads to the person: their usage, their input, or something that failed around them. */
export function errorKind(e: unknown): "usage" | "input" | "failed" {
  const code = errorCode(e);
  if (code === "usage") return "usage";
  return code !== undefined && INPUT_CODES.has(code) ? "input" : "failed";
}

/** Labels that break the task's rule: every issue, typed, and all of them in the message. */
export class RuleViolationError extends ZkLabelError {
  override name = "RuleViolationError";
  readonly issues: readonly RuleIssue[];
  constructor(issues: readonly RuleIssue[]) {
    super("rule_violation", issues.map((i) => i.message).join("; "));
    this.issues = issues;
  }
}

/** Throws a RuleViolationError when there is any issue. */
export function refuseIssues(issues: readonly RuleIssue[]): void {
  if (issues.length) throw new RuleViolationError(issues);
}
