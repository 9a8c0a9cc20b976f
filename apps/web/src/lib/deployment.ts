"use client";
/**
 * The deployment the app runs against: /deployment.json, fetched and checked once per page load
 * (the root layout's Providers hold it across navigations), and the context that hands it to
 * every component below them.
 */
import { type DeploymentFile, deploymentSchema, expectedRuleEntry, type RuleEntry } from "@zklabel/core/deployment";
import { errorCode } from "@zklabel/core/errors";
import type { AnyRule } from "@zklabel/core/rules";
import { createContext, useContext } from "react";
import { z } from "zod";

/** Why the app cannot run, in words, with what to do about it. */
export class DeploymentProblem extends Error {
  override name = "DeploymentProblem";
  constructor(
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${title}: ${detail}`);
  }
}

async function rpc(url: string, method: string, params: unknown[], signal?: AbortSignal): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal,
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(body.error.message ?? "JSON-RPC error");
  return body.result;
}

/**
 * Fetches /deployment.json (written when the stack starts), validates it with the
 * shared schema and checks that its chain answers and has the escrow deployed.
 */
export async function fetchDeployment(signal?: AbortSignal): Promise<DeploymentFile> {
  let res: Response;
  try {
    res = await fetch("/deployment.json", { cache: "no-store", signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new DeploymentProblem("The app could not fetch /deployment.json", String(e));
  }
  if (res.status === 404) {
    throw new DeploymentProblem(
      "No deployment found",
      "/deployment.json does not exist: the contracts have not been deployed for this app yet.",
    );
  }
  if (!res.ok)
    throw new DeploymentProblem("The app could not fetch /deployment.json", `HTTP ${res.status} ${res.statusText}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new DeploymentProblem(
      "/deployment.json is not valid JSON",
      "The file is damaged or was written only in part.",
    );
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    throw new DeploymentProblem("/deployment.json does not match the expected format", z.prettifyError(parsed.error));
  }
  const d = parsed.data;

  let chainHex: unknown;
  try {
    chainHex = await rpc(d.rpcUrl, "eth_chainId", [], signal);
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new DeploymentProblem(
      `The chain at ${d.rpcUrl} is not answering`,
      `The deployment points at a node that is not running (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  if (typeof chainHex !== "string" || Number.parseInt(chainHex, 16) !== d.chainId) {
    throw new DeploymentProblem(
      "The chain does not match the deployment",
      `deployment.json is for chain ${d.chainId}, the node at ${d.rpcUrl} reports ${String(chainHex)}.`,
    );
  }
  const code = await rpc(d.rpcUrl, "eth_getCode", [d.escrow, "latest"], signal).catch(() => "0x");
  if (typeof code !== "string" || code === "0x") {
    throw new DeploymentProblem(
      "The escrow contract is not on this chain",
      `No contract at ${d.escrow} on ${d.rpcUrl}: the node was restarted since deployment.json was written.`,
    );
  }
  return d;
}

let once: Promise<DeploymentFile> | null = null;

/**
 * The deployment of this page load: the first call fetches it, later calls (a remount, React's
 * development double effects) share that fetch. `retry` starts a new one after a failure.
 */
export function loadDeployment(retry = false): Promise<DeploymentFile> {
  if (!once || retry) {
    once = fetchDeployment();
    once.catch(() => {
      once = null;
    });
  }
  return once;
}

/** Holds the loaded deployment for everything inside the root layout's Providers. */
export const DeploymentContext = createContext<DeploymentFile | null>(null);

/** The validated deployment.json (available once the Providers have loaded it). */
export function useDeployment(): DeploymentFile {
  const d = useContext(DeploymentContext);
  if (!d) throw new Error("useDeployment is used outside the app's Providers (apps/web/src/providers)");
  return d;
}

/** The verifier entry the deployment names for a rule, or undefined when no verifier for it is deployed here. */
export function deployedRule(d: DeploymentFile, rule: AnyRule): RuleEntry | undefined {
  try {
    return expectedRuleEntry(d, rule.id);
  } catch (e) {
    if (errorCode(e) === "unknown_rule") return undefined;
    throw e;
  }
}
