/**
 * What every zklabel command shares: exit codes, the two error kinds a person can fix, output
 * in words or JSON, the identity file, and the connection to the chain from a deployment file.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { deploymentSchema } from "@zklabel/core/deployment";
import {
  type Identity,
  parseIdentityKey,
  requesterKeyFromSignature,
  requesterKeyMessage,
} from "@zklabel/core/identity";
import { ZkLabelClient } from "@zklabel/sdk/client";
import { type Address, createPublicClient, createWalletClient, defineChain, http, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const ROOT = resolve(import.meta.dirname, "..", "..", "..");

/** Exit codes (documented in --help). */
export const EXIT = { ok: 0, failed: 1, usage: 2, input: 3 } as const;

export class UsageError extends Error {}
export class InputError extends Error {}

export interface Ctx {
  json: boolean;
  out(human: string, data: unknown): void;
}

export type Values = Record<string, string | boolean | undefined>;

export function identityPath(file: string | boolean | undefined): string {
  return typeof file === "string" ? resolve(file) : join(homedir(), ".zklabel", "identity.key");
}

export async function loadIdentity(file: string | boolean | undefined): Promise<Identity> {
  const path = identityPath(file);
  const key = await readFile(path, "utf8").catch(() => null);
  if (key === null) throw new InputError(`no identity at ${path}: create one with \`zklabel identity new\``);
  try {
    return parseIdentityKey(key);
  } catch (e) {
    throw new InputError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The requester's label-encryption key pair: derived from the wallet's signature of a task-scoped message (docs/protocol.md). */
export async function requesterKey(
  wallet: Awaited<ReturnType<typeof connect>>["wallet"],
  deployment: { chainId: number; escrow: string },
  nonce: bigint,
) {
  const signature = await wallet.signMessage({
    account: wallet.account,
    message: requesterKeyMessage(BigInt(deployment.chainId), deployment.escrow, nonce),
  });
  return requesterKeyFromSignature(signature);
}

export function wholeNumber(v: string | boolean | undefined, what: string): number {
  if (typeof v !== "string" || !/^\d+$/.test(v)) throw new UsageError(`${what} must be a whole number`);
  return Number(v);
}

export async function connect(values: Values, needWallet = true) {
  const path =
    typeof values.deployment === "string" ? values.deployment : join(ROOT, "apps/web/public/deployment.json");
  const raw = await readJson(path).catch((e: unknown) => {
    throw new InputError(
      `${e instanceof Error ? e.message : String(e)}: start the product with \`npm run dev\` or pass --deployment FILE`,
    );
  });
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${path} is not a zkLabel deployment file`);
  const deployment = parsed.data;
  const rpc = typeof values.rpc === "string" ? values.rpc : deployment.rpcUrl;
  const chain = defineChain({
    id: deployment.chainId,
    name: `chain ${deployment.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(rpc) });
  let account: Address = zeroAddress;
  let wallet: ReturnType<typeof createWalletClient> | undefined;
  if (needWallet) {
    const key = process.env.ZKLABEL_PRIVATE_KEY;
    if (key) {
      if (!/^0x[0-9a-fA-F]{64}$/.test(key))
        throw new InputError("ZKLABEL_PRIVATE_KEY must be a 0x-prefixed 32-byte hex key");
      const a = privateKeyToAccount(key as `0x${string}`);
      account = a.address;
      wallet = createWalletClient({ account: a, chain, transport: http(rpc) });
    } else if (typeof values.account === "string") {
      const addresses = await createWalletClient({ transport: http(rpc) }).getAddresses();
      const picked = addresses[Number(values.account)];
      if (!picked) throw new InputError(`the node at ${rpc} has no unlocked account #${values.account}`);
      account = picked;
      wallet = createWalletClient({ account: picked, chain, transport: http(rpc) });
    } else {
      throw new UsageError(
        "this command signs: set ZKLABEL_PRIVATE_KEY, or pass --account N on a local development node",
      );
    }
  }
  const client = new ZkLabelClient({
    publicClient: publicClient as never,
    wallet: wallet as never,
    contracts: { escrow: deployment.escrow, groups: deployment.groups, chainId: deployment.chainId },
  });
  return { client, account, wallet: wallet as NonNullable<typeof wallet> & { account: never }, deployment };
}

export function positiveInt(v: string | boolean | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isInteger(n) || n <= 0)
    throw new UsageError(`${what} must be a positive whole number`);
  return n;
}

export async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch(() => {
    throw new InputError(`cannot read ${path}`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not valid JSON`);
  }
}
