import type { DeploymentFile } from "@zklabel/core/deployment";
import { defineChain } from "viem";
import { createConfig, http, injected } from "wagmi";
import { DEV_CHAIN_ID, devWallet } from "./dev-wallet";

/** The chain of a deployment, with the node URL deployment.json names. */
export function deploymentChain(d: DeploymentFile) {
  return defineChain({
    id: d.chainId,
    name: d.chainId === DEV_CHAIN_ID ? "Hardhat (local)" : `Chain ${d.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [d.rpcUrl] } },
    testnet: true,
  });
}

/** wagmi config for a deployment: the dev wallet on the local chain, plus injected browser wallets. */
export function makeWagmiConfig(d: DeploymentFile) {
  const chain = deploymentChain(d);
  return createConfig({
    chains: [chain],
    connectors:
      d.chainId === DEV_CHAIN_ID ? [devWallet({ rpcUrl: d.rpcUrl, chainId: d.chainId }), injected()] : [injected()],
    transports: { [chain.id]: http(d.rpcUrl) },
    // The local node mines every transaction at once: poll receipts quickly.
    pollingInterval: 500,
    ssr: false,
  });
}
