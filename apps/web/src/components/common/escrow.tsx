"use client";
/** Escrow reads and writes shared by the requester's and the auditor's pages. */
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { useState } from "react";
import type { Address, ContractFunctionArgs, ContractFunctionName } from "viem";
import { useConfig, useReadContract } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";
import { useDeployment } from "@/components/AppShell";
import { confirmTx, errorText } from "@/lib/requester";

/** The escrow's getTask(taskId), re-read every `refetchInterval` ms: live balance, reservation, cancellation, verifiers. */
export function useEscrowTask(taskId: bigint, refetchInterval = 4000) {
  const d = useDeployment();
  return useReadContract({
    address: d.escrow as Address,
    abi: escrowAbi,
    functionName: "getTask",
    args: [taskId],
    chainId: d.chainId,
    query: { refetchInterval },
  });
}

type WriteName = ContractFunctionName<typeof escrowAbi, "nonpayable">;

/**
 * Escrow transactions from the wallet, one at a time: `send` simulates, sends and confirms one;
 * `busy` is the key of the one under way, `done` and `error` say how the last one ended.
 */
export function useEscrowSend<K>() {
  const d = useDeployment();
  const config = useConfig();
  const [busy, setBusy] = useState<K | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function send<F extends WriteName>(
    key: K,
    call: { functionName: F; args: ContractFunctionArgs<typeof escrowAbi, "nonpayable", F>; account: Address },
    opts: {
      /** What `done` says once the transaction is confirmed. */
      done: string;
      /** Run after `done` is set (same render). */
      onSent?(): void;
      /** Run before simulating (e.g. to bring the dev chain's clock forward). */
      before?(): Promise<void>;
      /** Leave the last `done` shown while this one runs. */
      keepDone?: boolean;
    },
  ) {
    setBusy(key);
    setError(null);
    if (!opts.keepDone) setDone(null);
    try {
      await opts.before?.();
      // `call` is typed per function above; TypeScript cannot match a generic F to the ABI's overloads here.
      const { request } = await simulateContract(config, {
        address: d.escrow as Address,
        abi: escrowAbi,
        functionName: call.functionName,
        args: call.args,
        account: call.account,
        chainId: d.chainId,
      } as Parameters<typeof simulateContract>[1]);
      await confirmTx(config, await writeContract(config, request), d.chainId);
      setDone(opts.done);
      opts.onSent?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  return { busy, error, done, setError, send };
}

/** The outcome of the last escrow transaction: what it did, or why it failed. */
export function TxOutcome({ done, error }: { done: string | null; error: string | null }) {
  return (
    <>
      {done && (
        <p className="ok small" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
