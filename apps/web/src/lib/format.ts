import { formatEther } from "viem";

/** 0x1234…abcd */
export const shortAddress = (a: string): string => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** Wei as ETH without trailing noise: 36000000000000000n -> "0.036". */
export const eth = (wei: bigint): string => formatEther(wei);

/** Wei as ETH rounded to `digits` decimals for balances. */
export function ethRounded(wei: bigint, digits = 4): string {
  const [whole, frac = ""] = formatEther(wei).split(".");
  const f = frac.slice(0, digits).replace(/0+$/, "");
  return f ? `${whole}.${f}` : whole;
}

/** Milliseconds as "12.3 s" or "1 min 04 s". */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
}

/** Bytes as MB with one decimal. */
export const megabytes = (n: number): string => `${(n / 1_000_000).toFixed(1)} MB`;

/** "1 batch" / "3 batches": a count with its noun, singular or plural. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
