/**
 * Payees derived from the worker's identity (docs/protocol.md §2.12): a fresh Ethereum account per
 * (chain, escrow, task, batch) by default, so that no two batches share a payee and nothing
 * besides the identity needs a backup. The key is keccak256 of a domain tag, the identity's
 * secret scalar and the scope, reduced into secp256k1's scalar range; it never leaves the worker.
 */
import { type Address, encodeAbiParameters, type Hex, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Identity } from "./identity.ts";

/** secp256k1's group order. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const TAG = stringToHex("zklabel/payee/v1");

/** Where a payee is used: one batch of one task (batchIndex undefined: one key for the whole task). */
export interface PayeeScope {
  chainId: bigint;
  escrow: Address;
  taskId: bigint;
  batchIndex?: number;
}

/** The payee's private key for a scope. */
export function payeeKey(identity: Pick<Identity, "secretScalar">, scope: PayeeScope): Hex {
  const h = BigInt(
    keccak256(
      encodeAbiParameters(
        [
          { type: "bytes" },
          { type: "uint256" },
          { type: "uint256" },
          { type: "address" },
          { type: "uint256" },
          { type: "int256" },
        ],
        [TAG, identity.secretScalar, scope.chainId, scope.escrow, scope.taskId, BigInt(scope.batchIndex ?? -1)],
      ),
    ),
  );
  // Never 0: (h mod (n - 1)) + 1 lies in 1..n-1.
  return `0x${((h % (SECP256K1_N - 1n)) + 1n).toString(16).padStart(64, "0")}`;
}

/** The payee account (address and signer) for a scope. */
export function payeeAccount(identity: Pick<Identity, "secretScalar">, scope: PayeeScope) {
  return privateKeyToAccount(payeeKey(identity, scope));
}

/** The payee address for a scope. */
export function payeeAddress(identity: Pick<Identity, "secretScalar">, scope: PayeeScope): Address {
  return payeeAccount(identity, scope).address;
}
