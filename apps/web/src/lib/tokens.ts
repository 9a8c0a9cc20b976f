"use client";
/** The token a task pays in: its symbol and decimals, and amounts written in them. */
import { type Address, erc20Abi, formatUnits, zeroAddress } from "viem";
import { useReadContracts } from "wagmi";

/** A token a task can pay in, with what is needed to show amounts. */
export interface TokenInfo {
  address: Address;
  symbol: string;
  decimals: number;
  isEth: boolean;
}

/** ETH's token info. */
export const ETH: TokenInfo = { address: zeroAddress, symbol: "ETH", decimals: 18, isEth: true };

/** Symbol and decimals of a task's token (ETH for the zero address), read from the token contract. */
export function useTokenInfo(token: Address | undefined, chainId: number): TokenInfo | undefined {
  const isEth = !token || token === zeroAddress;
  const read = useReadContracts({
    contracts: [
      { address: token ?? zeroAddress, abi: erc20Abi, functionName: "symbol", chainId },
      { address: token ?? zeroAddress, abi: erc20Abi, functionName: "decimals", chainId },
    ],
    query: { enabled: !isEth, staleTime: Number.POSITIVE_INFINITY },
  });
  if (isEth) return ETH;
  const [symbol, decimals] = read.data ?? [];
  if (!token || decimals?.status !== "success") return undefined;
  return {
    address: token,
    symbol: symbol?.status === "success" ? symbol.result : `token ${token.slice(0, 8)}…`,
    decimals: decimals.result,
    isEth: false,
  };
}

/** An amount in a token's units with its symbol: "0.036 ETH". */
export function formatAmount(amount: bigint, token: TokenInfo | undefined): string {
  if (!token) return `${amount.toString()} (token units)`;
  return `${formatUnits(amount, token.decimals)} ${token.symbol}`;
}
