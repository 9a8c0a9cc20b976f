/**
 * Option and argument types, checked by the command framework while it parses (a bad value is
 * a usage error naming the option), and the option sets several commands share.
 */
import { type Command, InvalidArgumentError, Option, type OptionValues } from "@commander-js/extra-typings";
import { type Address, isAddress, zeroAddress } from "viem";

/** 0, 1, 2, ... */
export function whole(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError("Give a whole number.");
  return Number(v);
}

/** 1, 2, 3, ... */
export function positive(v: string): number {
  const n = whole(v);
  if (n === 0) throw new InvalidArgumentError("Give a positive whole number.");
  return n;
}

/** A whole number of any size (task ids, wei, key nonces). */
export function bigWhole(v: string): bigint {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("Give a whole number.");
  return BigInt(v);
}

/** A relayer's share in basis points: 0 to 10000 (100 %). */
export function basisPoints(v: string): number {
  const n = whole(v);
  if (n > 10_000) throw new InvalidArgumentError("Give basis points from 0 to 10000 (100 %).");
  return n;
}

/** A 0x address (the zero address allowed: ETH as a token). */
export function address(v: string): Address {
  if (!isAddress(v)) throw new InvalidArgumentError("Give a 0x-prefixed 20-byte address.");
  return v;
}

/** A 0x address that can receive a payout. */
export function payee(v: string): Address {
  const a = address(v);
  if (a === zeroAddress) throw new InvalidArgumentError("Give a non-zero address: the payout would be lost.");
  return a;
}

/** "0,1,2" as numbers. */
export function wholeList(v: string): number[] {
  return v.split(",").map((x) => whole(x.trim()));
}

/** ".png,.jpg" as a list. */
export const list = (v: string): string[] => v.split(",").map((x) => x.trim());

/** Where the chain is, for commands that only read it. */
export const readChainOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  c: Command<A, O, G>,
) =>
  c
    .addOption(
      new Option(
        "--network <NAME>",
        "a deployed network: reads contracts/deployments/NAME.json (npm run deploy -- --network NAME)",
      )
        .env("ZKLABEL_NETWORK")
        .helpGroup("Chain options:"),
    )
    .addOption(
      new Option(
        "--deployment <FILE>",
        "deployment file (default: apps/web/public/deployment.json from npm run dev)",
      ).helpGroup("Chain options:"),
    )
    .addOption(new Option("--rpc <URL>", "JSON-RPC endpoint (default: the deployment's)").helpGroup("Chain options:"));

/** Where the chain is and who signs: ZKLABEL_PRIVATE_KEY, or --account N of a local development node. */
export const chainOptions = <A extends unknown[], O extends OptionValues, G extends OptionValues>(
  c: Command<A, O, G>,
) =>
  readChainOptions(c).addOption(
    new Option("--account <N>", "sign with unlocked account N of a local development node (else ZKLABEL_PRIVATE_KEY)")
      .argParser(whole)
      .helpGroup("Chain options:"),
  );

/** The worker identity file. */
export const identityFileOption = () =>
  new Option("--identity-file <FILE>", "your identity key (default ~/.zklabel/identity.key)");

/** The data vault to talk to. */
export const vaultUrlOption = (fallback: string) =>
  new Option("--vault <URL>", `the data vault (default: ${fallback})`);

/** The vault's upload token. */
export const uploadTokenOption = () =>
  new Option("--upload-token <T>", "the vault's upload token").env("ZKLABEL_VAULT_TOKEN");
