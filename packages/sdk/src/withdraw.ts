/**
 * Gasless withdrawals (docs/protocol.md §5.8, decision 42): the credited account (a worker's payee,
 * which holds no ETH) signs an EIP-712 `Withdraw` message, and a relayer submits it with
 * ZkLabelClient.withdrawWithSignature, taking `fee` of `amount` as its pay. The nonce and the domain
 * are read from the escrow, so a signature is for one escrow on one chain, and used once.
 */
import type { Account, Address, Chain, Hex, LocalAccount, PublicClient, Transport, WalletClient } from "viem";
import { getAddress, zeroAddress } from "viem";
import { escrowAbi } from "./abi-escrow.ts";
import { ContractError, describeError, ZkLabelError } from "./errors.ts";

/** The EIP-712 types of a signed withdrawal: contracts/interfaces/IZkLabelEscrow.sol `Withdraw`. */
export const WITHDRAW_TYPES = {
  Withdraw: [
    { name: "token", type: "address" },
    { name: "account", type: "address" },
    { name: "to", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "fee", type: "uint256" },
    { name: "relayer", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The signed message: what withdrawWithSignature takes as its first argument. */
export interface WithdrawMessage {
  /** Zero address = ETH. */
  token: Address;
  /** The credited account, which signs. */
  account: Address;
  /** Receives `amount - fee`. */
  to: Address;
  amount: bigint;
  /** Credited to the relayer that submits it (pull payment: it withdraws it like any credit). */
  fee: bigint;
  /** The only sender that may submit it; the zero address lets anyone. */
  relayer: Address;
  /** The account's nonce at signing (escrow `nonces(account)`): the signature is void once it is used. */
  nonce: bigint;
  /** Unix time (seconds) after which the escrow refuses the signature. */
  deadline: bigint;
}

/** The escrow's EIP-712 domain, as its eip712Domain() (ERC-5267) reports it. */
export interface WithdrawDomain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
}

/** A withdrawal signed by its account, ready for a relayer. */
export interface SignedWithdrawal {
  domain: WithdrawDomain;
  message: WithdrawMessage;
  signature: Hex;
}

/** Who signs: a local account (a key in memory, such as a payee derived from an identity) or a wallet. */
export type WithdrawalSigner = LocalAccount | WalletClient<Transport, Chain | undefined, Account>;

async function read<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const d = describeError(e);
    throw new ContractError(`could not ${what}: ${d.message}`, d.errorName, { cause: e, code: d.code });
  }
}

/** The escrow's EIP-712 domain, read with eip712Domain() (ERC-5267). */
export async function withdrawDomain(publicClient: PublicClient, escrow: Address): Promise<WithdrawDomain> {
  const [fields, name, version, chainId, verifyingContract] = await read("read the escrow's EIP-712 domain", () =>
    publicClient.readContract({ address: escrow, abi: escrowAbi, functionName: "eip712Domain" }),
  );
  // 0x0f: name, version, chainId and verifyingContract, no salt: the domain the escrow hashes.
  if (fields !== "0x0f" || getAddress(verifyingContract) !== getAddress(escrow)) {
    throw new ContractError(
      `the contract at ${escrow} reports an EIP-712 domain (fields ${fields}, contract ${verifyingContract}) that is not the escrow's`,
      undefined,
    );
  }
  return { name, version, chainId: Number(chainId), verifyingContract: getAddress(verifyingContract) };
}

/** The nonce the account's next signed withdrawal must carry. */
export function withdrawalNonce(publicClient: PublicClient, escrow: Address, account: Address): Promise<bigint> {
  return read("read the account's withdrawal nonce", () =>
    publicClient.readContract({ address: escrow, abi: escrowAbi, functionName: "nonces", args: [account] }),
  );
}

/**
 * Signs a withdrawal of `amount` of `token` (default ETH) from the signer's credit: `to` gets
 * `amount - fee`, the relayer `fee`. The nonce (unless given) and the domain come from the escrow.
 * Nothing is sent: hand the result to a relayer (ZkLabelClient.withdrawWithSignature).
 */
export async function signWithdrawal(args: {
  publicClient: PublicClient;
  escrow: Address;
  account: WithdrawalSigner;
  token?: Address;
  to: Address;
  amount: bigint;
  /** Default 0. */
  fee?: bigint;
  /** Default the zero address: any relayer may submit it (and take the fee). */
  relayer?: Address;
  /** Unix time in seconds. */
  deadline: bigint;
  /** Default the escrow's current nonce for the account. */
  nonce?: bigint;
}): Promise<SignedWithdrawal> {
  const signer = args.account;
  const address = "address" in signer ? signer.address : signer.account.address;
  const fee = args.fee ?? 0n;
  // What the escrow would refuse whatever the chain holds, refused before anything is signed.
  if (args.amount <= 0n) throw new ZkLabelError("invalid_input", "a withdrawal needs an amount above zero");
  if (fee < 0n || fee > args.amount)
    throw new ZkLabelError("invalid_input", `the fee (${fee}) must be between 0 and the amount (${args.amount})`);
  if (getAddress(args.to) === zeroAddress)
    throw new ZkLabelError("invalid_input", "the destination address of a withdrawal is empty");
  const [domain, nonce] = await Promise.all([
    withdrawDomain(args.publicClient, args.escrow),
    args.nonce ?? withdrawalNonce(args.publicClient, args.escrow, address),
  ]);
  const message: WithdrawMessage = {
    token: getAddress(args.token ?? zeroAddress),
    account: getAddress(address),
    to: getAddress(args.to),
    amount: args.amount,
    fee,
    relayer: getAddress(args.relayer ?? zeroAddress),
    nonce,
    deadline: args.deadline,
  };
  const typed = { domain, types: WITHDRAW_TYPES, primaryType: "Withdraw", message } as const;
  const signature =
    "address" in signer
      ? await signer.signTypedData(typed)
      : await signer.signTypedData({ ...typed, account: signer.account });
  return { domain, message, signature };
}
