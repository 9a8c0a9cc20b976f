/**
 * What every zklabel command shares: exit codes, output in words or JSON, the identity file,
 * JSON files, and the connection to the chain from a deployment file.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { deploymentSchema } from "@zklabel/core/deployment";
import { ZkLabelError } from "@zklabel/core/errors";
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

/** Exit codes (documented in --help): errors map to them by their kind (core errorKind). */
export const EXIT = { ok: 0, failed: 1, usage: 2, input: 3 } as const;

/** The output of one run: words for people, or JSON on stdout with --json; the exit code of a run that did not throw. */
export interface Ctx {
  json: boolean;
  exitCode: number;
  out(human: string, data: unknown): void;
}

/** JSON with bigints as decimal strings. */
export const toJson = (data: unknown, indent?: number): string =>
  JSON.stringify(data, (_, v) => (typeof v === "bigint" ? v.toString() : v), indent);

export function createCtx(): Ctx {
  return {
    json: false,
    exitCode: EXIT.ok,
    out(human, data) {
      console.log(this.json ? toJson(data, 2) : human);
    },
  };
}

/** A mistake in how the command was called (exit code 2). */
export const usageError = (message: string) => new ZkLabelError("usage", message);
/** A value, file or key the person gave that is wrong (exit code 3). */
export const inputError = (message: string) => new ZkLabelError("invalid_input", message);

/** Progress for people on stderr, so stdout stays the command's answer. */
export const log = (line: string) => process.stderr.write(`${line}\n`);

export function identityPath(file: string | undefined): string {
  return file !== undefined ? resolve(file) : join(homedir(), ".zklabel", "identity.key");
}

export async function loadIdentity(file: string | undefined): Promise<Identity> {
  const path = identityPath(file);
  const key = await readFile(path, "utf8").catch(() => null);
  if (key === null) throw inputError(`no identity at ${path}: create one with \`zklabel identity new\``);
  try {
    return parseIdentityKey(key);
  } catch (e) {
    throw inputError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch(() => {
    throw inputError(`cannot read ${path}`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw inputError(`${path} is not valid JSON`);
  }
}

/** Where the chain is and who signs (options.ts chainOptions). */
export interface ChainOptions {
  network?: string;
  deployment?: string;
  rpc?: string;
  account?: number;
}

export type Connection = Awaited<ReturnType<typeof connect>>;

export async function connect(o: ChainOptions, needWallet = true) {
  if (o.network && o.deployment)
    throw inputError("pass either --network NAME or --deployment FILE, not both (ZKLABEL_NETWORK sets --network)");
  if (o.network && !/^[A-Za-z0-9_-]+$/.test(o.network))
    throw inputError(`--network takes a network's name (contracts/deployments/NAME.json), not "${o.network}"`);
  const path = o.network
    ? join(ROOT, "contracts/deployments", `${o.network}.json`)
    : (o.deployment ?? join(ROOT, "apps/web/public/deployment.json"));
  const raw = await readJson(path).catch((e: unknown) => {
    throw inputError(
      o.network
        ? `${e instanceof Error ? e.message : String(e)}: network ${o.network} has no deployment here; deploy it with \`npm run deploy -- --network ${o.network}\` or check the name`
        : `${e instanceof Error ? e.message : String(e)}: start the product with \`npm run dev\` or pass --network NAME or --deployment FILE`,
    );
  });
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) throw inputError(`${path} is not a zkLabel deployment file`);
  const deployment = parsed.data;
  const rpc = o.rpc ?? deployment.rpcUrl;
  const chain = defineChain({
    id: deployment.chainId,
    name: `${deployment.network} (chain ${deployment.chainId})`,
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
        throw inputError("ZKLABEL_PRIVATE_KEY must be a 0x-prefixed 32-byte hex key");
      const a = privateKeyToAccount(key as `0x${string}`);
      account = a.address;
      wallet = createWalletClient({ account: a, chain, transport: http(rpc) });
    } else if (o.account !== undefined) {
      const addresses = await createWalletClient({ transport: http(rpc) }).getAddresses();
      const picked = addresses[o.account];
      if (!picked) throw inputError(`the node at ${rpc} has no unlocked account #${o.account}`);
      account = picked;
      wallet = createWalletClient({ account: picked, chain, transport: http(rpc) });
    } else {
      throw usageError("this command signs: set ZKLABEL_PRIVATE_KEY, or pass --account N on a local development node");
    }
  }
  const client = new ZkLabelClient({
    publicClient: publicClient as never,
    wallet: wallet as never,
    contracts: { escrow: deployment.escrow, groups: deployment.groups, chainId: deployment.chainId },
  });
  return {
    client,
    account,
    wallet: wallet as NonNullable<typeof wallet> & { account: never },
    deployment,
    chain,
    rpc,
  };
}

/** The wallet's signature of a message (the requester key derivation). */
export const signWith = (wallet: Connection["wallet"]) => (message: string) =>
  wallet.signMessage({ account: wallet.account, message });

/** The requester's label-encryption key pair: derived from the wallet's signature of a task-scoped message (docs/protocol.md). */
export async function requesterKey(c: Connection, nonce: bigint) {
  const message = requesterKeyMessage(BigInt(c.deployment.chainId), c.deployment.escrow, nonce);
  return requesterKeyFromSignature(await signWith(c.wallet)(message));
}
