/**
 * For integrators on ethers v6: turn an ethers Provider and Signer into the viem clients
 * ZkLabelClient takes. Reads go through the provider's JSON-RPC; transactions and messages are
 * signed by the ethers Signer (a Wallet, a hardware or browser signer), never by viem.
 */
import type { Signer, TransactionRequest } from "ethers";
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  type Hex,
  type PublicClient,
  type TransactionSerializable,
} from "viem";
import { toAccount } from "viem/accounts";

/** Anything with ethers' JSON-RPC `send` (JsonRpcProvider, BrowserProvider). */
export interface EthersJsonRpc {
  send(method: string, params: unknown[]): Promise<unknown>;
}

function transport(provider: EthersJsonRpc) {
  return custom({
    request: async ({ method, params }) => {
      try {
        return await provider.send(method, (params as unknown[]) ?? []);
      } catch (e) {
        // ethers wraps a revert in its own CALL_EXCEPTION; hand viem the JSON-RPC shape (code 3 +
        // revert data), so the contract's custom error is decoded and described in words.
        const data = (e as { data?: unknown }).data;
        if (typeof data === "string" && data.startsWith("0x")) {
          throw Object.assign(new Error("execution reverted"), { code: 3, data });
        }
        throw e;
      }
    },
  });
}

async function chainOf(provider: EthersJsonRpc): Promise<Chain> {
  const id = Number(BigInt((await provider.send("eth_chainId", [])) as string));
  return defineChain({
    id,
    name: `chain ${id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
}

/** A viem PublicClient reading through an ethers provider. */
export async function publicClientFromEthers(provider: EthersJsonRpc): Promise<PublicClient> {
  return createPublicClient({ chain: await chainOf(provider), transport: transport(provider) }) as PublicClient;
}

/** ethers' transaction request for a viem transaction. */
function toEthersTx(tx: TransactionSerializable): TransactionRequest {
  return {
    to: tx.to ?? undefined,
    data: tx.data,
    value: tx.value,
    nonce: tx.nonce,
    gasLimit: tx.gas,
    chainId: tx.chainId,
    ...("maxFeePerGas" in tx && tx.maxFeePerGas !== undefined
      ? { type: 2, maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas }
      : { type: 0, gasPrice: (tx as { gasPrice?: bigint }).gasPrice }),
  };
}

/** A viem WalletClient whose account is the ethers Signer (it signs; viem only sends raw transactions). */
export async function walletClientFromEthers(signer: Signer, provider: EthersJsonRpc) {
  const address = (await signer.getAddress()) as Address;
  const account = toAccount({
    address,
    signMessage: async ({ message }) =>
      (await signer.signMessage(typeof message === "string" ? message : (message.raw as Hex | Uint8Array))) as Hex,
    signTransaction: async (tx) => (await signer.signTransaction(toEthersTx(tx))) as Hex,
    signTypedData: async (typed) => {
      const { domain, types, message } = typed as unknown as {
        domain: Record<string, unknown>;
        types: Record<string, { name: string; type: string }[]>;
        message: Record<string, unknown>;
      };
      const { EIP712Domain: _, ...rest } = types;
      return (await signer.signTypedData(domain, rest, message)) as Hex;
    },
  });
  return createWalletClient({ account, chain: await chainOf(provider), transport: transport(provider) });
}
