"use client";
/**
 * The app's one write path to the contracts: the SDK's ZkLabelClient on wagmi's public client and
 * the connected wallet's client. The SDK simulates every write, sends it, waits for its receipt and
 * turns each failure into a ContractError with a stable code; the app only says what it did.
 */
import { ZkLabelClient } from "@zklabel/sdk/client";
import { ContractError } from "@zklabel/sdk/errors";
import { useCallback, useMemo, useState } from "react";
import type { PublicClient } from "viem";
import { useConfig, usePublicClient } from "wagmi";
import { getConnection, getPublicClient, getWalletClient } from "wagmi/actions";
import { useDeployment } from "./deployment";
import { DEV_CHAIN_ID } from "./dev-wallet";
import { messageFor } from "./errors";

/**
 * The deployment's contracts: `reader` reads (undefined until wagmi has a client for the chain),
 * `withWallet()` resolves to a client that also writes, from the wallet connected now.
 */
export function useZkLabel() {
  const d = useDeployment();
  const config = useConfig();
  const publicClient = usePublicClient({ chainId: d.chainId }) as PublicClient | undefined;
  const reader = useMemo(
    () => (publicClient ? new ZkLabelClient({ publicClient, contracts: d }) : undefined),
    [publicClient, d],
  );
  const withWallet = useCallback(async (): Promise<ZkLabelClient> => {
    const c = getConnection(config);
    if (c.status !== "connected")
      throw new ContractError("connect a wallet first (top right), then try again", undefined, { code: "no_wallet" });
    if (c.chainId !== d.chainId)
      throw new ContractError(`switch the wallet to chain ${d.chainId}, then try again`, undefined, {
        code: "no_wallet",
      });
    const wallet = await getWalletClient(config, { chainId: d.chainId });
    const pc = getPublicClient(config, { chainId: d.chainId }) as PublicClient;
    return new ZkLabelClient({ publicClient: pc, wallet, contracts: d });
  }, [config, d]);
  return { reader, withWallet };
}

/**
 * On the local development chain only: an idle node mines no blocks, so its clock stays at the
 * last transaction and a simulation would see a challenge window as still open. Mines one empty
 * block to bring the node's clock to now (the CLI's `task finalize` does the same).
 */
export async function bringDevClockToNow(client: ZkLabelClient, chainId: number): Promise<void> {
  if (chainId !== DEV_CHAIN_ID) return;
  const block = await client.publicClient.getBlock();
  if (block.timestamp >= BigInt(Math.floor(Date.now() / 1000))) return;
  await client.publicClient.request({ method: "evm_mine" } as never);
}

/**
 * Contract transactions from the wallet, one at a time: `send(key, write, opts)` gets a writing
 * client and runs `write` with it; `busy` is the key of the one under way, `done` and `error` say
 * how the last one ended.
 */
export function useTransaction<K>() {
  const { withWallet } = useZkLabel();
  const [busy, setBusy] = useState<K | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function send(
    key: K,
    write: (client: ZkLabelClient) => Promise<unknown>,
    opts: {
      /** What `done` says once the transaction is confirmed. */
      done: string;
      /** Run after `done` is set (same render). */
      onSent?(): void;
      /** Leave the last `done` shown while this one runs. */
      keepDone?: boolean;
    },
  ): Promise<boolean> {
    setBusy(key);
    setError(null);
    if (!opts.keepDone) setDone(null);
    try {
      await write(await withWallet());
      setDone(opts.done);
      opts.onSent?.();
      return true;
    } catch (e) {
      setError(messageFor(e));
      return false;
    } finally {
      setBusy(null);
    }
  }

  return { busy, error, done, setError, send };
}
