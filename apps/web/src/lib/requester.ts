"use client";
/**
 * The requester's helpers: the post-task form and its validation (through the SDK's task spec
 * schema), tokens, amounts, transactions (simulate, send, wait), the wallet's readiness, file
 * types and downloads.
 */
import type { DeploymentFile } from "@zklabel/core/deployment";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { describeError } from "@zklabel/sdk/errors";
import { type ResolvedSpec, resolveTaskSpec, SpecError, taskSpecSchema } from "@zklabel/sdk/spec";
import { DEFAULT_ITEM_TYPES, typeFromName } from "@zklabel/sdk/vault";
import { useEffect, useState } from "react";
import {
  type Address,
  erc20Abi,
  formatUnits,
  type Hash,
  parseEventLogs,
  type TransactionReceipt,
  zeroAddress,
} from "viem";
import { type Config, useConnection, useReadContracts } from "wagmi";
import { getBlock, getPublicClient, waitForTransactionReceipt } from "wagmi/actions";

/** The local development chain (Hardhat). */
export const DEV_CHAIN_ID = 31337;
/** The contract's limit on a challenge window (30 days), in minutes. */
export const MAX_CHALLENGE_MINUTES = 30 * 24 * 60;

/** An error (wallet, contract, vault, dataset) as one sentence a person can act on. */
export function errorText(e: unknown): string {
  const m = describeError(e).message.trim();
  if (m === "") return "Something failed without saying why: try again.";
  const s = m[0].toUpperCase() + m.slice(1);
  return /[.!?)\]]$/.test(s) ? s : `${s}.`;
}

/** A token a task can pay in, with what is needed to show amounts. */
export interface TokenInfo {
  address: Address;
  symbol: string;
  decimals: number;
  isEth: boolean;
}

/** ETH's token info. */
export const ETH: TokenInfo = { address: zeroAddress, symbol: "ETH", decimals: 18, isEth: true };

/** Symbol and decimals of a task's token (ETH for the zero address), read from the token contract. */
export function useTokenInfo(token: Address | undefined, chainId: number): TokenInfo | undefined {
  const isEth = !token || token === zeroAddress;
  const read = useReadContracts({
    contracts: [
      { address: token ?? zeroAddress, abi: erc20Abi, functionName: "symbol", chainId },
      { address: token ?? zeroAddress, abi: erc20Abi, functionName: "decimals", chainId },
    ],
    query: { enabled: !isEth, staleTime: Number.POSITIVE_INFINITY },
  });
  if (isEth) return ETH;
  const [symbol, decimals] = read.data ?? [];
  if (!token || decimals?.status !== "success") return undefined;
  return {
    address: token,
    symbol: symbol?.status === "success" ? symbol.result : `token ${token.slice(0, 8)}…`,
    decimals: decimals.result,
    isEth: false,
  };
}

/** An amount in a token's units with its symbol: "0.036 ETH". */
export function formatAmount(amount: bigint, token: TokenInfo | undefined): string {
  if (!token) return `${amount.toString()} (token units)`;
  return `${formatUnits(amount, token.decimals)} ${token.symbol}`;
}

/** Class names from a textarea: one per line, trimmed, blank lines dropped. */
export function parseClassLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const STORED_TYPES: readonly string[] = DEFAULT_ITEM_TYPES;

/**
 * The MIME type the vault will be told for a file: the browser's type when the vault stores it,
 * else the one the file's extension suggests; null with the reason when the vault stores neither.
 */
export function itemType(name: string, browserType: string): { type: string; problem: string | null } {
  if (STORED_TYPES.includes(browserType)) return { type: browserType, problem: null };
  const byName = typeFromName(name);
  if (browserType && !browserType.startsWith("text/") && byName === "text/plain") {
    return {
      type: browserType,
      problem: `is of type ${browserType}, which the vault does not store (it stores ${DEFAULT_ITEM_TYPES.join(", ")})`,
    };
  }
  return { type: byName, problem: null };
}

/** Starts a browser download of `text` as a file. */
export function downloadText(fileName: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Waits for a transaction and throws a sentence when it reverted. */
export async function confirmTx(config: Config, hash: Hash, chainId: number): Promise<TransactionReceipt> {
  const receipt = await waitForTransactionReceipt(config, { hash, chainId });
  if (receipt.status !== "success") throw new Error(`the transaction ${hash} was mined but reverted`);
  return receipt;
}

/** The id of the task a createTask receipt created. */
export function taskIdFromReceipt(receipt: TransactionReceipt, escrow: Address): bigint {
  const logs = parseEventLogs({ abi: escrowAbi, logs: receipt.logs, eventName: "TaskCreated" });
  const log = logs.find((l) => l.address.toLowerCase() === escrow.toLowerCase());
  if (!log) throw new Error(`the transaction ${receipt.transactionHash} created no task (no TaskCreated event)`);
  return log.args.taskId;
}

/**
 * On the local development chain only: an idle node mines no blocks, so its clock stays at the
 * last transaction and a simulation would see a challenge window as still open. Mines one empty
 * block to bring the node's clock to now (the CLI's `task finalize` does the same).
 */
export async function bringDevClockToNow(config: Config, chainId: number): Promise<void> {
  if (chainId !== DEV_CHAIN_ID) return;
  const block = await getBlock(config, { chainId });
  if (block.timestamp >= BigInt(Math.floor(Date.now() / 1000))) return;
  const client = getPublicClient(config, { chainId });
  await client?.request({ method: "evm_mine" } as never);
}

/** The current time in milliseconds, refreshed every `ms` while `active`. */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}

/** What keeps the connected wallet from acting on the deployment's chain. */
export type WalletProblem = "disconnected" | "connecting" | "wrong-chain" | null;

/** The connected account, and why it cannot act yet (null when it can). */
export function useWalletState(d: DeploymentFile): { address: Address | undefined; problem: WalletProblem } {
  const { address, chainId, status } = useConnection();
  if (status === "connecting" || status === "reconnecting") return { address, problem: "connecting" };
  if (status !== "connected" || !address) return { address: undefined, problem: "disconnected" };
  if (chainId !== d.chainId) return { address, problem: "wrong-chain" };
  return { address, problem: null };
}

/** The post-task form, as typed (strings until validated). */
export interface PostForm {
  title: string;
  instructions: string;
  rule: "classification" | "bbox" | "sensor";
  /** One class name per line. */
  classesText: string;
  /** Class names workers may not use (every class is allowed unless listed here). */
  disallowed: string[];
  /** Reward per item, decimal, in token units. */
  reward: string;
  token: "eth" | "test";
  deadlineDays: string;
  workerGroup: string;
  goldOn: boolean;
  /** File name → class name of its gold answer. */
  gold: Record<string, string>;
  minAccuracy: string;
  challengeMinutes: string;
  vaultUrl: string;
  vaultToken: string;
  /** Bounding boxes: minimum box size in pixels. */
  minWidth: string;
  minHeight: string;
  /** Sensor range: the band of normal readings (16-bit fixed point). */
  lo: string;
  hi: string;
}

/** The form's fields that can carry an error. */
export type FieldKey =
  | "title"
  | "instructions"
  | "rule"
  | "classes"
  | "allowed"
  | "files"
  | "reward"
  | "deadline"
  | "workerGroup"
  | "gold"
  | "minAccuracy"
  | "challenge"
  | "vault"
  | "boxSize"
  | "thresholds";

/** The form's starting values. */
export function emptyForm(vaultUrl: string | undefined): PostForm {
  return {
    title: "",
    instructions: "",
    rule: "classification",
    classesText: "",
    disallowed: [],
    reward: "0.001",
    token: "eth",
    deadlineDays: "7",
    workerGroup: "0",
    goldOn: false,
    gold: {},
    minAccuracy: "80",
    challengeMinutes: "60",
    vaultUrl: vaultUrl ?? "",
    vaultToken: "",
    minWidth: "8",
    minHeight: "8",
    lo: "1000",
    hi: "60000",
  };
}

/** A validated form: the escrow parameters and what the metadata needs. */
export interface CheckedForm {
  resolved: ResolvedSpec;
  classes: string[];
  /** Gold answers by file name (empty without gold). */
  gold: { item: string; label: string }[];
}

const SPEC_FIELD: Record<string, FieldKey> = {
  title: "title",
  instructions: "instructions",
  rule: "classes",
  reward: "reward",
  deadline: "deadline",
  workerGroup: "workerGroup",
  gold: "gold",
};

function specField(path: readonly PropertyKey[]): FieldKey {
  const [a, b] = path.map(String);
  if (a === "rule")
    return b === "allowed"
      ? "allowed"
      : b === "minWidth" || b === "minHeight"
        ? "boxSize"
        : b === "lo" || b === "hi"
          ? "thresholds"
          : "classes";
  if (a === "gold") return b === "challengeWindow" ? "challenge" : b === "minAccuracy" ? "minAccuracy" : "gold";
  return SPEC_FIELD[a] ?? "title";
}

const sentence = (s: string) => {
  const t = s.trim();
  const c = t[0]?.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(c) ? c : `${c}.`;
};

/**
 * Checks the whole form (the task spec schema of the SDK plus what only the form knows: files,
 * gold marks, the vault) and resolves it to escrow parameters; errors are per field, in words.
 */
export function validatePostForm(
  form: PostForm,
  ctx: {
    fileNames: readonly string[];
    datasetProblem: string | null;
    token: TokenInfo | undefined;
    hasVerifier: boolean;
    now: number;
  },
): { errors: Partial<Record<FieldKey, string>>; checked?: CheckedForm } {
  const errors: Partial<Record<FieldKey, string>> = {};
  const add = (k: FieldKey, m: string) => {
    errors[k] ??= sentence(m);
  };
  if (form.title.trim() === "") add("title", "Give the task a title");
  if (form.instructions.trim() === "") add("instructions", "Tell workers what to do: write the instructions");
  if (!ctx.hasVerifier) add("rule", "This rule has no verifier on this chain yet: choose Classification");
  const classes = parseClassLines(form.classesText);
  const allowed = classes.filter((c) => !form.disallowed.includes(c));
  if (classes.length >= 2 && allowed.length === 0) add("allowed", "Allow at least one class");

  if (ctx.fileNames.length === 0) add("files", "Add the dataset's files (at least one)");
  else if (ctx.datasetProblem) add("files", ctx.datasetProblem);

  const days = Number(form.deadlineDays);
  if (!/^\d+(\.\d+)?$/.test(form.deadlineDays.trim()) || !(days > 0) || days > 3650)
    add("deadline", "Give the deadline as a number of days from now, more than 0 and at most 3650");
  if (!/^\d+$/.test(form.workerGroup.trim()))
    add("workerGroup", "The worker group is a whole number (0 = the open group)");

  const decimals = ctx.token?.decimals ?? 18;
  const frac = /^\d+\.(\d+)$/.exec(form.reward.trim())?.[1];
  if (frac && frac.length > decimals)
    add(
      "reward",
      `Use at most ${decimals} decimals for the reward (${ctx.token?.symbol ?? "the token"} has ${decimals})`,
    );
  if (!ctx.token) add("reward", "The token's decimals are not known yet: wait a moment, or check the node is running");

  const whole16 = (v: string) => /^\d+$/.test(v.trim()) && Number(v) <= 65535;
  if (form.rule === "bbox" && !(whole16(form.minWidth) && whole16(form.minHeight)))
    add("boxSize", "The minimum box width and height are whole numbers of pixels, 0 to 65535");
  if (form.rule === "sensor") {
    if (!(whole16(form.lo) && whole16(form.hi)))
      add("thresholds", "The thresholds are whole numbers from 0 to 65535 (16-bit fixed point)");
    else if (Number(form.lo) > Number(form.hi)) add("thresholds", "The low threshold must not be above the high one");
  }
  if (form.goldOn && form.rule !== "classification")
    add("gold", "Gold items are for classification tasks for now: turn them off for this rule");

  let gold: { item: string; label: string }[] = [];
  if (form.goldOn) {
    const names = new Set(ctx.fileNames);
    gold = Object.entries(form.gold)
      .filter(([name, label]) => names.has(name) && label !== "")
      .map(([item, label]) => ({ item, label }));
    if (gold.length === 0) add("gold", "Mark at least one gold item with its answer, or turn gold items off");
    const missing = gold.find((g) => !classes.includes(g.label));
    if (missing)
      add("gold", `Gold item "${missing.item}" has the answer "${missing.label}", which is no longer a class`);
    const forbidden = gold.find((g) => form.disallowed.includes(g.label));
    if (forbidden)
      add(
        "gold",
        `Gold item "${forbidden.item}" has the answer "${forbidden.label}", a class workers may not use: nobody could match it`,
      );
    if (!/^\d+$/.test(form.minAccuracy.trim()) || Number(form.minAccuracy) < 1 || Number(form.minAccuracy) > 100)
      add("minAccuracy", "The minimum accuracy is a whole percentage from 1 to 100");
    const m = Number(form.challengeMinutes);
    if (!/^\d+$/.test(form.challengeMinutes.trim()) || m < 1 || m > MAX_CHALLENGE_MINUTES)
      add(
        "challenge",
        `The challenge window is a whole number of minutes from 1 to ${MAX_CHALLENGE_MINUTES} (30 days)`,
      );
  }

  let vaultOk = false;
  try {
    const u = new URL(form.vaultUrl.trim());
    vaultOk = u.protocol === "http:" || u.protocol === "https:";
  } catch {}
  if (!vaultOk) add("vault", "Give the vault's address, e.g. http://127.0.0.1:8787");

  const spec = {
    title: form.title,
    instructions: form.instructions,
    rule:
      form.rule === "sensor"
        ? { type: "sensor", lo: Number(form.lo), hi: Number(form.hi) }
        : form.rule === "bbox"
          ? {
              type: "bbox",
              classes,
              allowed: allowed.length === classes.length ? undefined : allowed,
              minWidth: Number(form.minWidth),
              minHeight: Number(form.minHeight),
            }
          : { type: "classification", classes, allowed: allowed.length === classes.length ? undefined : allowed },
    reward: {
      perItem: form.reward.trim(),
      token: ctx.token && !ctx.token.isEth ? ctx.token.address : undefined,
      decimals,
    },
    deadline: days > 0 ? new Date(ctx.now * 1000 + days * 86_400_000).toISOString() : "",
    workerGroup: /^\d+$/.test(form.workerGroup.trim()) ? Number(form.workerGroup) : 0,
    gold:
      form.goldOn && !errors.minAccuracy && !errors.challenge
        ? { minAccuracy: Number(form.minAccuracy), challengeWindow: `${Number(form.challengeMinutes)}m` }
        : undefined,
  };
  const parsed = taskSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(specField(issue.path), issue.message);
  }
  if (Object.keys(errors).length > 0) return { errors };
  try {
    const resolved = resolveTaskSpec(spec, ctx.now);
    return { errors, checked: { resolved, classes, gold } };
  } catch (e) {
    for (const p of e instanceof SpecError ? e.problems : [errorText(e)]) {
      const [where, ...rest] = p.split(": ");
      add(where === "deadline" ? "deadline" : where === "rule" ? "classes" : "title", rest.join(": ") || p);
    }
    return { errors };
  }
}

/** A task's state in one word for a badge. */
export function taskStatus(
  t: { cancelled: boolean; closesAt: bigint; batches: readonly { status: string }[] },
  deadline: bigint,
  nowMs: number,
): "cancelled" | "closing" | "complete" | "expired" | "open" {
  if (t.cancelled) return t.closesAt >= BigInt(Math.floor(nowMs / 1000)) ? "closing" : "cancelled";
  if (t.batches.every((b) => b.status === "verified")) return "complete";
  if (deadline < BigInt(Math.floor(nowMs / 1000))) return "expired";
  return "open";
}

/** "42 s" / "15 min" / "2 h 5 min" / "3 d 4 h" for a number of seconds. */
export function seconds(s: number): string {
  if (s >= 86400) return `${Math.floor(s / 86400)} d${s % 86400 >= 3600 ? ` ${Math.floor((s % 86400) / 3600)} h` : ""}`;
  if (s >= 3600) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  if (s >= 60) return `${Math.floor(s / 60)} min`;
  return `${s} s`;
}
