/**
 * A wagmi connector for the local Hardhat node's funded, unlocked accounts, so the
 * demo works without a browser extension. Every request goes to the node as plain
 * JSON-RPC; the node itself signs `eth_sendTransaction` for its own accounts.
 * Local development chain (31337) only: these accounts' keys are public.
 */
import {
  type Address,
  custom,
  type EIP1193RequestFn,
  getAddress,
  numberToHex,
  RpcRequestError,
  SwitchChainError,
  type Transport,
  type WalletRpcSchema,
} from "viem";
import { rpc } from "viem/utils";
import { type Connector, createConnector } from "wagmi";

export const DEV_WALLET_ID = "zklabelDevWallet";
/** The only chain the dev wallet signs on: the local Hardhat node. */
export const DEV_CHAIN_ID = 31337;
/** Account #0 is the demo requester, so a worker starts as #1. */
export const DEFAULT_DEV_ACCOUNT = 1;

const ACCOUNT_KEY = "zklabel.devWallet.account";
const CONNECTED_KEY = "zklabel.devWallet.connected";

function load(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}
function save(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {}
}

export interface DevWalletParameters {
  rpcUrl: string;
  chainId: number;
}

type Provider = ReturnType<Transport<"custom", unknown, EIP1193RequestFn<WalletRpcSchema>>>;

export type DevWalletProperties = {
  /** The node's unlocked accounts in node order (#0 first). */
  nodeAccounts(): Promise<readonly Address[]>;
  /** Index of the node account the wallet uses. */
  accountIndex(): number;
  /** Uses node account #index from now on (wagmi sees an account change when connected). */
  selectAccount(index: number): Promise<void>;
};

/** The dev wallet as `useConnectors()` returns it. */
export type DevWalletConnector = Connector & DevWalletProperties;

export const isDevWallet = (c: Connector | undefined): c is DevWalletConnector => c?.id === DEV_WALLET_ID;

devWallet.type = "devWallet" as const;
export function devWallet({ rpcUrl, chainId }: DevWalletParameters) {
  if (chainId !== DEV_CHAIN_ID)
    throw new Error(`the dev wallet only works on the local chain ${DEV_CHAIN_ID}, not ${chainId}`);

  let connected = false;
  let index = Number(load(ACCOUNT_KEY) ?? DEFAULT_DEV_ACCOUNT);
  if (!Number.isInteger(index) || index < 0) index = DEFAULT_DEV_ACCOUNT;
  let accounts: Address[] | undefined;

  async function node(method: string, params: unknown = []): Promise<any> {
    const body = { method, params };
    const { error, result } = await rpc.http(rpcUrl, { body });
    if (error) throw new RpcRequestError({ body, error, url: rpcUrl });
    return result;
  }
  async function nodeAccounts(): Promise<Address[]> {
    accounts ??= ((await node("eth_accounts")) as string[]).map((a) => getAddress(a));
    return accounts;
  }
  async function current(): Promise<Address> {
    const list = await nodeAccounts();
    const a = list[index];
    if (!a) throw new Error(`the node has no account #${index} (it has ${list.length})`);
    return a;
  }
  async function nodeChainId(): Promise<number> {
    return Number.parseInt((await node("eth_chainId")) as string, 16);
  }

  const request: EIP1193RequestFn = async ({ method, params }) => {
    switch (method) {
      case "eth_chainId":
        return numberToHex(await nodeChainId());
      case "eth_accounts":
        return connected ? [await current()] : [];
      case "eth_requestAccounts":
        return [await current()];
      case "wallet_switchEthereumChain": {
        const wanted = Number.parseInt((params as [{ chainId: string }])[0].chainId, 16);
        if (wanted !== chainId) throw new SwitchChainError(new Error(`the dev wallet only signs on chain ${chainId}`));
        return null;
      }
      case "eth_sendTransaction": {
        const [tx] = params as [{ from?: string }];
        const from = await current();
        if (tx.from && getAddress(tx.from) !== from)
          throw new Error(`the dev wallet is on account ${from}, not ${tx.from}`);
        return node(method, [{ ...tx, from }]);
      }
      default:
        return node(method, params);
    }
  };
  const provider: Provider = custom({ request })({ retryCount: 0 });

  return createConnector<Provider, DevWalletProperties>((config) => ({
    id: DEV_WALLET_ID,
    name: "Dev wallet",
    type: devWallet.type,
    async connect({ chainId: wantedChain, withCapabilities } = {}) {
      const nodeChain = await nodeChainId();
      if (nodeChain !== chainId)
        throw new Error(`the node at ${rpcUrl} is on chain ${nodeChain}, the dev wallet only works on ${chainId}`);
      if (wantedChain !== undefined && wantedChain !== nodeChain) {
        throw new SwitchChainError(new Error(`the dev wallet only signs on chain ${chainId}`));
      }
      const account = await current();
      connected = true;
      save(CONNECTED_KEY, "1");
      return {
        accounts: (withCapabilities ? [{ address: account, capabilities: {} }] : [account]) as never,
        chainId: nodeChain,
      };
    },
    async disconnect() {
      connected = false;
      save(CONNECTED_KEY, null);
    },
    async getAccounts() {
      if (!connected) return [];
      return [await current()];
    },
    async getChainId() {
      return nodeChainId();
    },
    async getProvider() {
      return provider;
    },
    async isAuthorized() {
      if (load(CONNECTED_KEY) !== "1") return false;
      try {
        return (await nodeChainId()) === chainId;
      } catch {
        return false;
      }
    },
    async switchChain({ chainId: wanted }) {
      const chain = config.chains.find((c) => c.id === wanted);
      if (wanted !== chainId || !chain)
        throw new SwitchChainError(new Error(`the dev wallet only signs on chain ${chainId}`));
      return chain;
    },
    onAccountsChanged(list) {
      if (list.length === 0) this.onDisconnect();
      else config.emitter.emit("change", { accounts: list.map((a) => getAddress(a)) });
    },
    onChainChanged(id) {
      config.emitter.emit("change", { chainId: Number(id) });
    },
    onDisconnect() {
      connected = false;
      save(CONNECTED_KEY, null);
      config.emitter.emit("disconnect");
    },
    nodeAccounts,
    accountIndex: () => index,
    async selectAccount(i: number) {
      const list = await nodeAccounts();
      if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new RangeError(`no account #${i} on the node`);
      index = i;
      save(ACCOUNT_KEY, String(i));
      if (connected) config.emitter.emit("change", { accounts: [list[i]] });
    },
  }));
}
