"use client";
/**
 * The requester's label key (skR), derived in this browser from a wallet signature over the
 * task's key nonce, as when it was posted. Held in memory for the page only (one signature serves
 * the labels panel and the gold review), dropped when the account changes.
 */
import { requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { signMessage } from "wagmi/actions";
import { useDeployment } from "./deployment";
import { messageFor } from "./errors";
import { shortAddress } from "./format";
import type { TaskView } from "./tasks";
import type { WalletProblem } from "./wallet";

export interface RequesterKey {
  skR: bigint | null;
  busy: boolean;
  error: string | null;
  /** Asks the wallet for the signature and derives the key (sets `error` in words when it cannot). */
  derive(): Promise<void>;
}

export function useRequesterKey(t: TaskView, account: Address | undefined, problem: WalletProblem): RequesterKey {
  const d = useDeployment();
  const config = useConfig();
  const [skR, setSkR] = useState<bigint | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isRequester = !!account && account.toLowerCase() === t.requester.toLowerCase();

  // The key stays in memory for this page only; a different account must sign again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the account changes
  useEffect(() => setSkR(null), [account]);

  async function derive() {
    setError(null);
    if (!account || problem) {
      setError(
        problem === "wrong-chain"
          ? `Switch your wallet to chain ${d.chainId} first, then decrypt.`
          : "Connect the wallet that posted this task (top right), then decrypt.",
      );
      return;
    }
    if (!isRequester) {
      setError(
        `This task was posted by ${shortAddress(t.requester)}, and you are connected as ${shortAddress(account)}: only the account that posted it can derive its key. Switch accounts and decrypt again.`,
      );
      return;
    }
    const nonce = t.metadata?.keyNonce;
    if (!nonce) {
      setError(
        "This task's metadata names no key nonce, so its key cannot be derived from your wallet here: it was posted by another tool; decrypt its labels with the key you used there (for example with the zklabel CLI).",
      );
      return;
    }
    setBusy(true);
    try {
      const sig = await signMessage(config, {
        account,
        message: requesterKeyMessage(BigInt(d.chainId), d.escrow, BigInt(nonce)),
      });
      const key = requesterKeyFromSignature(sig);
      if (key.pkR[0] !== t.info.pkR[0] || key.pkR[1] !== t.info.pkR[1]) {
        throw new Error(
          "your wallet's signature gives a different key from the one this task was posted with (a wallet that does not sign deterministically, or a different account): the labels cannot be decrypted with it",
        );
      }
      setSkR(key.skR);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  return { skR, busy, error, derive };
}
