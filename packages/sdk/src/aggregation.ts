/**
 * Proofs verified off the EVM by zkVerify and aggregated (docs/verification-layers.md): zkVerify checks a
 * snarkjs Groth16 proof, puts its *statement* (a hash of the verification key and the public inputs) in an
 * aggregation, and a Merkle root of each aggregation is posted to the receipt contract on the EVM chain.
 * The escrow's rule verifier `AggregatedGroth16Verifier` (contracts/aggregation/) accepts a batch whose
 * statement is shown to be in a posted root.
 *
 * Here: the statement (`groth16Statement`), zkVerify's hash of a snarkjs vkey.json (`groth16VkHash`), the
 * aggregation tree and its paths (`aggregationPath`, `verifyAggregationPath`: substrate's
 * binary_merkle_tree, as the contracts check it), and an `AggregationService` with two implementations:
 * `LocalAggregator` (our own receipt contract on a local chain; what the tests drive) and `ZkVerifyService`
 * (zkverifyjs against the zkVerify network).
 */
import { ZkLabelError } from "@zklabel/core/errors";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import type { SnarkjsProof } from "@zklabel/core/proof";
import * as snarkjs from "snarkjs";
import {
  type Account,
  type Address,
  type Chain,
  concat,
  type Hash,
  type Hex,
  isHex,
  keccak256,
  type PublicClient,
  sha256,
  stringToHex,
  type Transport,
  type WalletClient,
} from "viem";
import { z } from "zod";

/** keccak256("groth16"): the groth16 verifier's context in every statement. */
export const PROVING_SYSTEM_ID: Hex = keccak256(stringToHex("groth16"));
/** sha256("") (sha256, not keccak): zkVerify's verifier version hash of every Groth16 proof. */
export const VERSION_HASH: Hex = sha256("0x");
/** zkVerify refuses a Groth16 proof with more public inputs (runtime GROTH16_MAX_NUM_INPUTS). */
export const MAX_PUBLIC_INPUTS = 64;
/** The most statements one zkVerify aggregation holds (runtime AggregateMaxSize). */
export const MAX_AGGREGATION_SIZE = 128;

/** Where a statement sits in a posted aggregation: the adapter's `AggregationInclusion` argument. */
export interface AggregationInclusion {
  aggregationId: bigint;
  /** Sibling nodes from the leaf up (none for levels where the node was promoted). */
  merklePath: Hex[];
  leafCount: bigint;
  index: bigint;
}

/** An aggregated statement: its inclusion, the domain, and the statement itself (the receipt's leaf). */
export interface AggregatedStatement extends AggregationInclusion {
  domainId: bigint;
  leaf: Hex;
}

/** Something that verifies a Groth16 proof off the EVM, aggregates it and says where its statement is. */
export interface AggregationService {
  /** Resolves once the aggregation holding the proof's statement is posted to the receipt contract. */
  submit(proof: SnarkjsProof, publicSignals: readonly (bigint | string)[]): Promise<AggregatedStatement>;
}

/** The four fields the adapter's `submitBatchAggregated` takes as its inclusion argument. */
export function inclusionArg(s: AggregationInclusion): AggregationInclusion {
  return { aggregationId: s.aggregationId, merklePath: s.merklePath, leafCount: s.leafCount, index: s.index };
}

// ------------------------------------------------------------------ statement

const invalid = (message: string) => new ZkLabelError("invalid_input", message);

/** A 256-bit value as 32 bytes little-endian (arkworks' encoding of a BN254 scalar or coordinate). */
export function toLE32(v: bigint): Hex {
  if (v < 0n || v >= 1n << 256n) throw invalid(`${v} does not fit 32 bytes`);
  const be = v.toString(16).padStart(64, "0");
  return `0x${(be.match(/../g) ?? []).reverse().join("")}`;
}

/** Public signals as field elements: refuses what is not a scalar below the BN254 field modulus. */
function scalars(publicSignals: readonly (bigint | string)[]): bigint[] {
  return publicSignals.map((s, i) => {
    let x: bigint;
    try {
      x = BigInt(s);
    } catch {
      throw invalid(`public signal ${i} (${String(s)}) is not an integer`);
    }
    if (x < 0n || x >= SNARK_SCALAR_FIELD) throw invalid(`public signal ${i} (${x}) is not a field element`);
    return x;
  });
}

/**
 * zkVerify's statement of a Groth16 proof, the leaf its aggregation holds:
 * keccak256(PROVING_SYSTEM_ID ‖ vkHash ‖ VERSION_HASH ‖ keccak256(LE32(x_0) ‖ … ‖ LE32(x_{k-1}))).
 */
export function groth16Statement(vkHash: Hex, publicSignals: readonly (bigint | string)[]): Hex {
  if (!isHex(vkHash) || vkHash.length !== 66) throw invalid(`vkHash ${vkHash} is not 32 bytes of hex`);
  const xs = scalars(publicSignals);
  if (xs.length > MAX_PUBLIC_INPUTS)
    throw invalid(`${xs.length} public inputs: zkVerify takes at most ${MAX_PUBLIC_INPUTS}`);
  const inputsHash = keccak256(xs.length === 0 ? "0x" : concat(xs.map(toLE32)));
  return keccak256(concat([PROVING_SYSTEM_ID, vkHash, VERSION_HASH, inputsHash]));
}

// ------------------------------------------------------------------ verification key hash

const coordinate = z
  .string()
  .regex(/^[0-9]+$/, "a coordinate must be a decimal string")
  .refine((s) => BigInt(s) < 1n << 256n, "a coordinate must fit 32 bytes");
const g1 = z.array(coordinate).min(2).max(3);
const g2 = z.array(z.array(coordinate).length(2)).min(2).max(3);

/** A snarkjs Groth16 vkey.json on BN254 (the fields zkVerify reads). */
export const snarkjsGroth16VkeySchema = z.object({
  protocol: z.literal("groth16"),
  curve: z.literal("bn128"),
  nPublic: z.number().int().min(0).max(MAX_PUBLIC_INPUTS),
  vk_alpha_1: g1,
  vk_beta_2: g2,
  vk_gamma_2: g2,
  vk_delta_2: g2,
  IC: z.array(g1).min(1),
});
export type SnarkjsGroth16Vkey = z.infer<typeof snarkjsGroth16VkeySchema>;

/**
 * A Groth16 verification key as zkVerify's groth16 pallet takes it (`VerificationKeyWithCurve`), each
 * point as arkworks bytes: G1 = x ‖ y, G2 = x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, every coordinate 32 bytes
 * little-endian (BN254).
 */
export interface FormattedGroth16Vk {
  curve: "Bn254";
  alphaG1: Hex;
  betaG2: Hex;
  gammaG2: Hex;
  deltaG2: Hex;
  gammaAbcG1: Hex[];
}

/** Parses a snarkjs vkey.json (refusing anything else, with what is wrong). */
export function parseGroth16Vkey(vkey: unknown): SnarkjsGroth16Vkey {
  const r = snarkjsGroth16VkeySchema.safeParse(vkey);
  if (!r.success) {
    throw invalid(
      `not a snarkjs Groth16 BN254 verification key with at most ${MAX_PUBLIC_INPUTS} public inputs: ${r.error.issues
        .map((i) => `${i.path.join(".") || "key"}: ${i.message}`)
        .join("; ")}`,
    );
  }
  if (r.data.IC.length !== r.data.nPublic + 1)
    throw invalid(`the key has ${r.data.IC.length} IC points for ${r.data.nPublic} public inputs`);
  return r.data;
}

/**
 * zkverifyjs's formatting of a snarkjs key (src/proofTypes/groth16/formatter/snarkjs, curve bn128 ->
 * bn254): coordinates little-endian, G2 pairs kept in snarkjs order [c0, c1], the projective z dropped.
 */
export function formatGroth16Vk(vkey: unknown): FormattedGroth16Vk {
  const k = parseGroth16Vkey(vkey);
  const p1 = (p: readonly string[]) => concat([toLE32(BigInt(p[0])), toLE32(BigInt(p[1]))]);
  const p2 = (p: readonly (readonly string[])[]) =>
    concat([p[0][0], p[0][1], p[1][0], p[1][1]].map((c) => toLE32(BigInt(c))));
  return {
    curve: "Bn254",
    alphaG1: p1(k.vk_alpha_1),
    betaG2: p2(k.vk_beta_2),
    gammaG2: p2(k.vk_gamma_2),
    deltaG2: p2(k.vk_delta_2),
    gammaAbcG1: k.IC.map(p1),
  };
}

/** SCALE compact encoding of a length (single-byte, two-byte and four-byte modes). */
function compact(n: number): Hex {
  const le = (v: number, bytes: number) => toLE32(BigInt(v)).slice(0, 2 + 2 * bytes) as Hex;
  if (n < 0 || !Number.isInteger(n)) throw invalid(`cannot SCALE-encode length ${n}`);
  if (n < 1 << 6) return le(n << 2, 1);
  if (n < 1 << 14) return le((n << 2) | 1, 2);
  if (n < 1 << 30) return le(n * 4 + 2, 4);
  throw invalid(`cannot SCALE-encode length ${n}`);
}

/** A SCALE `Vec<u8>`: compact length, then the bytes. */
const bytesVec = (h: Hex) => concat([compact((h.length - 2) / 2), h]);

/**
 * The SCALE encoding of `VerificationKeyWithCurve { curve, alpha_g1, beta_g2, gamma_g2, delta_g2,
 * gamma_abc_g1 }` (zkVerify verifiers/groth16): curve byte 0 (Bn254), each point a `Vec<u8>`, the IC a
 * `Vec<Vec<u8>>`.
 */
export function scaleEncodeGroth16Vk(vk: FormattedGroth16Vk): Hex {
  const sized = (h: Hex, bytes: number, what: string) => {
    if (!isHex(h) || h.length !== 2 + 2 * bytes) throw invalid(`${what} must be ${bytes} bytes of hex`);
    return bytesVec(h);
  };
  return concat([
    "0x00",
    sized(vk.alphaG1, 64, "alphaG1"),
    sized(vk.betaG2, 128, "betaG2"),
    sized(vk.gammaG2, 128, "gammaG2"),
    sized(vk.deltaG2, 128, "deltaG2"),
    compact(vk.gammaAbcG1.length),
    ...vk.gammaAbcG1.map((p, i) => sized(p, 64, `gammaAbcG1[${i}]`)),
  ]);
}

/**
 * zkVerify's hash of a snarkjs Groth16 vkey.json: keccak256 of the SCALE encoding of the key as zkverifyjs
 * formats it, what the chain computes for a proof submitted with that key (and the vkHash the adapter is
 * deployed with). The hash is of bytes: the same key serialized another way (arkworks sets y-sign flag
 * bits that zkverifyjs leaves at 0) hashes differently, so submit proofs with zkverifyjs's formatting, and
 * compare with zkVerify's `vk_hash` RPC (zkverifyjs `session.getVkHash`) before deploying on a real chain.
 */
export function groth16VkHash(vkey: unknown): Hex {
  return keccak256(scaleEncodeGroth16Vk(formatGroth16Vk(vkey)));
}

// ------------------------------------------------------------------ aggregation tree

const ZERO_ROOT: Hex = `0x${"00".repeat(32)}`;

function checkStatements(statements: readonly Hex[]) {
  statements.forEach((s, i) => {
    if (!isHex(s) || s.length !== 66) throw invalid(`statement ${i} (${s}) is not 32 bytes of hex`);
  });
}

/** The rows of substrate's binary_merkle_tree over keccak256, leaves first (a leaf node is keccak256(statement)). */
function rows(statements: readonly Hex[]): Hex[][] {
  checkStatements(statements);
  const out: Hex[][] = [statements.map((s) => keccak256(s))];
  for (let row = out[0]; row.length > 1; ) {
    const next: Hex[] = [];
    // Pairs in position order; an odd last node goes up unchanged.
    for (let i = 0; i < row.length; i += 2)
      next.push(i + 1 < row.length ? keccak256(concat([row[i], row[i + 1]])) : row[i]);
    out.push(next);
    row = next;
  }
  return out;
}

/** The root of an aggregation of `statements` (in order); 32 zero bytes for none. */
export function aggregationRoot(statements: readonly Hex[]): Hex {
  if (statements.length === 0) return ZERO_ROOT;
  const r = rows(statements);
  return r[r.length - 1][0];
}

/** The root and the path of statement `index`: what the receipt contract's check takes. */
export function aggregationPath(
  statements: readonly Hex[],
  index: number,
): { root: Hex; merklePath: Hex[]; leafCount: number; index: number } {
  if (!Number.isInteger(index) || index < 0 || index >= statements.length)
    throw invalid(`index ${index} is not a leaf of an aggregation of ${statements.length}`);
  const r = rows(statements);
  const merklePath: Hex[] = [];
  let pos = index;
  for (const row of r.slice(0, -1)) {
    const sibling = pos ^ 1;
    // A node without a sibling (the odd last one) is promoted: nothing on the path for this row.
    if (sibling < row.length) merklePath.push(row[sibling]);
    pos >>= 1;
  }
  return { root: r[r.length - 1][0], merklePath, leafCount: statements.length, index };
}

/** The receipt contract's check (contracts/aggregation/SubstrateMerkle.sol `verify`), in TypeScript. */
export function verifyAggregationPath(
  root: Hex,
  merklePath: readonly Hex[],
  leafCount: number | bigint,
  index: number | bigint,
  statement: Hex,
): boolean {
  let pos = BigInt(index);
  let width = BigInt(leafCount);
  if (pos >= width) throw invalid(`index ${pos} is not below the leaf count ${width} (the contract reverts)`);
  let node = keccak256(statement);
  for (const p of merklePath) {
    node = pos % 2n === 1n || pos + 1n === width ? keccak256(concat([p, node])) : keccak256(concat([node, p]));
    pos /= 2n;
    width = (width - 1n) / 2n + 1n;
  }
  return node.toLowerCase() === root.toLowerCase();
}

// ------------------------------------------------------------------ contracts

/** What the tests and LocalAggregator call on a receipt contract (zkVerify's, or ZkVerifyAggregationReceipts). */
export const zkVerifyReceiptsAbi = [
  {
    type: "function",
    name: "submitAggregation",
    stateMutability: "nonpayable",
    inputs: [
      { name: "_domainId", type: "uint256" },
      { name: "_aggregationId", type: "uint256" },
      { name: "_proofsAggregation", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "proofsAggregations",
    stateMutability: "view",
    inputs: [
      { name: "", type: "uint256" },
      { name: "", type: "uint256" },
    ],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "function",
    name: "verifyProofAggregation",
    stateMutability: "view",
    inputs: [
      { name: "_domainId", type: "uint256" },
      { name: "_aggregationId", type: "uint256" },
      { name: "_leaf", type: "bytes32" },
      { name: "_merklePath", type: "bytes32[]" },
      { name: "_leafCount", type: "uint256" },
      { name: "_index", type: "uint256" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "event",
    name: "AggregationPosted",
    inputs: [
      { name: "_domainId", type: "uint256", indexed: true },
      { name: "_aggregationId", type: "uint256", indexed: true },
      { name: "_proofsAggregation", type: "bytes32", indexed: true },
    ],
    anonymous: false,
  },
] as const;

/** The aggregated submission of contracts/aggregation/AggregatedGroth16Verifier.sol. */
export const aggregatedVerifierAbi = [
  {
    type: "function",
    name: "submitBatchAggregated",
    stateMutability: "nonpayable",
    inputs: [
      { name: "escrow", type: "address" },
      { name: "taskId", type: "uint256" },
      { name: "batchIndex", type: "uint256" },
      { name: "publicInputs", type: "uint256[]" },
      {
        name: "inclusion",
        type: "tuple",
        components: [
          { name: "aggregationId", type: "uint256" },
          { name: "merklePath", type: "bytes32[]" },
          { name: "leafCount", type: "uint256" },
          { name: "index", type: "uint256" },
        ],
      },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "statementHash",
    stateMutability: "view",
    inputs: [{ name: "publicInputs", type: "uint256[]" }],
    outputs: [{ name: "", type: "bytes32" }],
  },
  { type: "function", name: "vkHash", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "bytes32" }] },
  {
    type: "function",
    name: "domainId",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "error",
    name: "StatementNotIncluded",
    inputs: [
      { name: "domainId", type: "uint256" },
      { name: "aggregationId", type: "uint256" },
      { name: "statement", type: "bytes32" },
    ],
  },
  {
    type: "error",
    name: "RelayerFeeOnPendingBatch",
    inputs: [
      { name: "taskId", type: "uint256" },
      { name: "batchIndex", type: "uint256" },
    ],
  },
] as const;

// ------------------------------------------------------------------ local aggregator

type Wallet = WalletClient<Transport, Chain | undefined, Account>;

interface Waiting {
  statement: Hex;
  resolve(s: AggregatedStatement): void;
  reject(e: unknown): void;
}

/**
 * zkVerify's part played locally, for tests and the local chain: checks each proof with snarkjs against
 * the circuit's key (a false proof is refused, as zkVerify refuses it), collects the statements of one
 * domain, and on `publish()` (or when `aggregationSize` statements are waiting) posts their root to a
 * receipt contract with its operator wallet, then resolves every waiting `submit` with its inclusion.
 * The operator can post any root: it is trusted exactly as zkVerify's receipt operator is.
 */
export class LocalAggregator implements AggregationService {
  /** zkVerify's hash of the key proofs are checked against. */
  readonly vkHash: Hex;
  readonly domainId: bigint;
  private readonly vkey: SnarkjsGroth16Vkey;
  private readonly receipts: Address;
  private readonly operator: Wallet;
  private readonly publicClient: PublicClient;
  private readonly size: number;
  private nextId: bigint;
  private waiting: Waiting[] = [];
  /** Proofs being checked: publish() waits for them, so it takes everything submitted before it. */
  private checking = new Set<Promise<unknown>>();

  constructor(opts: {
    /** The circuit's snarkjs vkey.json (parsed). */
    vkey: unknown;
    domainId: bigint;
    /** The receipt contract the operator posts to. */
    receipts: Address;
    /** A wallet holding the receipt contract's OPERATOR role. */
    operator: Wallet;
    publicClient: PublicClient;
    /** Id of the first aggregation published (default 1); each publish takes the next. */
    firstAggregationId?: bigint;
    /** Statements per aggregation: publish as soon as that many wait (default and most: 128, zkVerify's). */
    aggregationSize?: number;
  }) {
    this.vkey = parseGroth16Vkey(opts.vkey);
    this.vkHash = groth16VkHash(this.vkey);
    this.domainId = opts.domainId;
    this.receipts = opts.receipts;
    this.operator = opts.operator;
    this.publicClient = opts.publicClient;
    this.nextId = opts.firstAggregationId ?? 1n;
    this.size = opts.aggregationSize ?? MAX_AGGREGATION_SIZE;
    if (!Number.isInteger(this.size) || this.size < 1 || this.size > MAX_AGGREGATION_SIZE)
      throw invalid(`an aggregation holds 1 to ${MAX_AGGREGATION_SIZE} statements, not ${this.size}`);
  }

  /** Statements waiting for the next publish. */
  get pending(): number {
    return this.waiting.length;
  }

  /**
   * Verifies the proof and queues its statement. The promise resolves when the aggregation holding it is
   * published (call `publish()`, or wait for a full aggregation); it rejects at once for a false proof.
   */
  async submit(proof: SnarkjsProof, publicSignals: readonly (bigint | string)[]): Promise<AggregatedStatement> {
    const xs = scalars(publicSignals);
    if (xs.length !== this.vkey.nPublic)
      throw invalid(`${xs.length} public signals for a key with ${this.vkey.nPublic} public inputs`);
    const check = snarkjs.groth16.verify(this.vkey, xs.map(String), { ...proof, protocol: "groth16", curve: "bn128" });
    this.checking.add(check);
    let ok: boolean;
    try {
      ok = await check;
    } finally {
      this.checking.delete(check);
    }
    if (!ok) throw invalid("the proof does not verify against the circuit's key: zkVerify would refuse it");
    const statement = groth16Statement(this.vkHash, xs);
    const done = new Promise<AggregatedStatement>((resolve, reject) => {
      this.waiting.push({ statement, resolve, reject });
    });
    if (this.waiting.length >= this.size) void this.publish().catch(() => {});
    return done;
  }

  /**
   * Posts the root of the waiting statements as the next aggregation and resolves their submissions; a
   * proof still being checked when it is called is waited for (and included if it verifies). With nothing
   * waiting it posts nothing and returns undefined.
   */
  async publish(): Promise<{ aggregationId: bigint; root: Hex; leafCount: number; hash: Hash } | undefined> {
    await Promise.allSettled([...this.checking]);
    const batch = this.waiting.splice(0, this.size);
    if (batch.length === 0) return undefined;
    const aggregationId = this.nextId++;
    const statements = batch.map((w) => w.statement);
    const root = aggregationRoot(statements);
    try {
      const hash = await this.operator.writeContract({
        address: this.receipts,
        abi: zkVerifyReceiptsAbi,
        functionName: "submitAggregation",
        args: [this.domainId, aggregationId, root],
        account: this.operator.account,
        chain: this.operator.chain,
      });
      const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success")
        throw new ZkLabelError("chain", `posting aggregation ${aggregationId} reverted (transaction ${hash})`);
      batch.forEach((w, i) => {
        const { merklePath } = aggregationPath(statements, i);
        w.resolve({
          domainId: this.domainId,
          aggregationId,
          leaf: w.statement,
          merklePath,
          leafCount: BigInt(statements.length),
          index: BigInt(i),
        });
      });
      return { aggregationId, root, leafCount: statements.length, hash };
    } catch (e) {
      const err =
        e instanceof ZkLabelError
          ? e
          : new ZkLabelError("chain", `could not post aggregation ${aggregationId}: ${String(e)}`, { cause: e });
      for (const w of batch) w.reject(err);
      throw err;
    }
  }
}

// ------------------------------------------------------------------ zkVerify

/**
 * The part of a zkverifyjs 2.3 session (`await zkVerifySession.start().Volta().withAccount(seed)`) that
 * ZkVerifyService uses, typed structurally so that this package does not depend on zkverifyjs.
 */
export interface ZkVerifySessionLike {
  verify(): {
    groth16(config: { library: "snarkjs"; curve: "bn128" }): {
      execute(input: {
        proofData: { vk: unknown; proof: unknown; publicSignals: unknown };
        domainId: number;
      }): Promise<{ transactionResult: Promise<unknown> }>;
    };
  };
  waitForAggregationReceipt(domainId: number, aggregationId: number, timeoutMs?: number): Promise<unknown>;
  getAggregateStatementPath(at: string, domainId: number, aggregationId: number, statement: string): Promise<unknown>;
}

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 32 bytes of hex");
const id = z.number().int().min(0);
/** zkverifyjs VerifyTransactionInfo: the fields read here (a proof sent with a domain gets both ids). */
const verifyInfoSchema = z.object({ statement: hex32, domainId: id, aggregationId: id });
/** zkverifyjs NewAggregationReceipt. */
const receiptSchema = z.object({ blockHash: hex32, domainId: id, aggregationId: id, receipt: hex32 });
/** zkverifyjs AggregateStatementPathResult. */
const pathSchema = z.object({
  root: hex32,
  proof: z.array(hex32).max(16),
  numberOfLeaves: z.number().int().min(1).max(MAX_AGGREGATION_SIZE),
  leafIndex: z.number().int().min(0),
  leaf: hex32,
});

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ZkLabelError(
      "chain",
      `zkVerify returned an unexpected ${what}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return r.data;
}

/**
 * Aggregation by the zkVerify network through zkverifyjs 2.3: submits the proof with a domain
 * (`verify().groth16({library: snarkjs, curve: bn128}).execute`), waits for the aggregation receipt of the
 * proof's aggregation and reads the statement's Merkle path at the receipt's block (the path is served
 * only there). Everything zkverifyjs returns is validated; the statement it reports must equal the one
 * computed here from the key and the signals, and its path must lead to the receipt's root.
 *
 * Not exercised by the tests: the zkVerify network cannot be reached from the machines this project is
 * built and tested on, so the tests drive LocalAggregator against our own receipt contract instead.
 */
export class ZkVerifyService implements AggregationService {
  readonly vkHash: Hex;
  readonly domainId: number;
  private readonly vkey: SnarkjsGroth16Vkey;
  private readonly session: ZkVerifySessionLike;
  private readonly timeoutMs: number | undefined;

  constructor(opts: {
    session: ZkVerifySessionLike;
    vkey: unknown;
    /** The zkVerify domain that aggregates for the target chain (zkVerify's domain list). */
    domainId: number;
    /** How long to wait for the aggregation receipt (zkverifyjs's default: 180 s). */
    timeoutMs?: number;
  }) {
    this.session = opts.session;
    this.vkey = parseGroth16Vkey(opts.vkey);
    this.vkHash = groth16VkHash(this.vkey);
    this.domainId = opts.domainId;
    this.timeoutMs = opts.timeoutMs;
  }

  async submit(proof: SnarkjsProof, publicSignals: readonly (bigint | string)[]): Promise<AggregatedStatement> {
    const xs = scalars(publicSignals);
    const statement = groth16Statement(this.vkHash, xs);
    const { transactionResult } = await this.session
      .verify()
      .groth16({ library: "snarkjs", curve: "bn128" })
      .execute({
        proofData: {
          vk: this.vkey,
          proof: { ...proof, protocol: "groth16", curve: "bn128" },
          publicSignals: xs.map(String),
        },
        domainId: this.domainId,
      });
    const info = parsed(verifyInfoSchema, await transactionResult, "verification result");
    if (info.statement.toLowerCase() !== statement.toLowerCase())
      throw new ZkLabelError(
        "chain",
        `zkVerify reports statement ${info.statement}, the key and signals give ${statement}: the vk hash differs (check groth16VkHash against zkVerify's vk_hash RPC)`,
      );
    if (info.domainId !== this.domainId)
      throw new ZkLabelError("chain", `zkVerify put the proof in domain ${info.domainId}, not ${this.domainId}`);
    const receipt = parsed(
      receiptSchema,
      await this.session.waitForAggregationReceipt(info.domainId, info.aggregationId, this.timeoutMs),
      "aggregation receipt",
    );
    const path = parsed(
      pathSchema,
      await this.session.getAggregateStatementPath(receipt.blockHash, info.domainId, info.aggregationId, statement),
      "statement path",
    );
    if (
      path.leaf.toLowerCase() !== statement.toLowerCase() ||
      path.root.toLowerCase() !== receipt.receipt.toLowerCase() ||
      path.leafIndex >= path.numberOfLeaves ||
      !verifyAggregationPath(path.root as Hex, path.proof as Hex[], path.numberOfLeaves, path.leafIndex, statement)
    )
      throw new ZkLabelError("chain", "zkVerify's statement path does not lead from the statement to the receipt");
    return {
      domainId: BigInt(info.domainId),
      aggregationId: BigInt(info.aggregationId),
      leaf: statement,
      merklePath: path.proof as Hex[],
      leafCount: BigInt(path.numberOfLeaves),
      index: BigInt(path.leafIndex),
    };
  }
}
