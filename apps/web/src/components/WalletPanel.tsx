"use client";

import { useEffect, useState } from "react";
import type { Address } from "viem";
import { useConnect, useConnection, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { useDeployment } from "@/lib/deployment";
import { DEFAULT_DEV_ACCOUNT, isDevWallet } from "@/lib/dev-wallet";
import { messageFor } from "@/lib/errors";
import { shortAddress } from "@/lib/format";

const accountLabel = (a: Address, i: number) => `#${i} ${shortAddress(a)}${i === 0 ? " (demo requester)" : ""}`;

/** Connect / account picker / connected address and chain. */
export function WalletPanel() {
  const d = useDeployment();
  const { address, chainId, chain, connector, status } = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const { mutate: disconnect } = useDisconnect();
  const switchChain = useSwitchChain();
  const dev = connectors.find(isDevWallet);
  const browserWallets = connectors.filter((c) => !isDevWallet(c));
  const [accounts, setAccounts] = useState<readonly Address[]>([]);
  const [accountIndex, setAccountIndex] = useState(() => dev?.accountIndex() ?? DEFAULT_DEV_ACCOUNT);
  const [hasInjected, setHasInjected] = useState(false);
  const [pickError, setPickError] = useState<string | null>(null);

  useEffect(() => {
    setHasInjected(typeof window !== "undefined" && "ethereum" in window);
  }, []);
  useEffect(() => {
    let live = true;
    dev
      ?.nodeAccounts()
      .then((a) => live && setAccounts(a))
      .catch(() => live && setAccounts([]));
    return () => {
      live = false;
    };
  }, [dev]);

  const usingDev = status === "connected" && isDevWallet(connector);
  const wrongChain = status === "connected" && chainId !== d.chainId;

  const pick = (i: number) => {
    setPickError(null);
    setAccountIndex(i);
    dev?.selectAccount(i).catch((e: unknown) => setPickError(messageFor(e)));
  };

  const picker = dev && accounts.length > 0 && (
    <label className="field inline">
      <span className={status === "connected" ? "visually-hidden" : undefined}>Dev account</span>
      <select
        data-testid="dev-account-select"
        title="Dev wallet: the local node's funded accounts"
        value={accountIndex}
        onChange={(e) => pick(Number(e.target.value))}
        disabled={status === "connected" && !usingDev}
      >
        {accounts.map((a, i) => (
          <option key={a} value={i}>
            {accountLabel(a, i)}
          </option>
        ))}
      </select>
    </label>
  );

  if (status === "connected" && address) {
    return (
      <div className="wallet" data-testid="wallet-connected">
        {usingDev && picker}
        <div className="wallet-id">
          <span className="address" data-testid="connected-address" data-address={address} title={address}>
            {shortAddress(address)}
          </span>
          <span
            className={`chain-pill ${wrongChain ? "bad" : ""}`}
            data-testid="connected-chain"
            data-chain-id={chainId}
          >
            {chain?.name ?? "Unknown chain"} · {chainId}
          </span>
          {!usingDev && <span className="muted small">{connector?.name}</span>}
        </div>
        {wrongChain && (
          <button
            type="button"
            className="btn small"
            onClick={() => switchChain.mutate({ chainId: d.chainId })}
            disabled={switchChain.isPending}
          >
            Switch to chain {d.chainId}
          </button>
        )}
        <button
          type="button"
          className="btn ghost small"
          data-testid="disconnect"
          onClick={() => disconnect({ connector })}
        >
          Disconnect
        </button>
        {pickError && (
          <p className="error small" role="alert">
            {pickError}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="wallet" data-testid="wallet-disconnected">
      {picker}
      {dev && (
        <button
          type="button"
          className="btn primary"
          data-testid="connect-dev-wallet"
          disabled={connect.isPending || status === "reconnecting"}
          onClick={() => connect.mutate({ connector: dev, chainId: d.chainId })}
        >
          {connect.isPending && connect.variables?.connector === dev ? "Connecting…" : "Connect dev wallet"}
        </button>
      )}
      {browserWallets.map((c) => {
        const generic = c.id === "injected";
        const unavailable = generic && !hasInjected;
        return (
          <button
            type="button"
            key={c.uid}
            className="btn"
            disabled={unavailable || connect.isPending}
            title={unavailable ? "No browser wallet extension was detected" : undefined}
            onClick={() => connect.mutate({ connector: c, chainId: d.chainId })}
          >
            {generic ? (unavailable ? "No browser wallet" : "Browser wallet") : c.name}
          </button>
        );
      })}
      {connect.error && (
        <p className="error small" role="alert" data-testid="connect-error">
          {messageFor(connect.error)}
        </p>
      )}
    </div>
  );
}
