/** zkVerify's part played locally: LocalAggregator, for tests and the local chain. */
import { ZkLabelError } from "@zklabel/core/errors";
import type { SnarkjsProof } from "@zklabel/core/proof";
import * as snarkjs from "snarkjs";
import type { Account, Address, Chain, Hash, Hex, PublicClient, Transport, WalletClient } from "viem";
import { zkVerifyReceiptsAbi } from "./contracts.ts";
import { type AggregatedStatement, type AggregationService, MAX_AGGREGATION_SIZE } from "./service.ts";
import { groth16Statement, invalid, scalars } from "./statement.ts";
import { aggregationPath, aggregationRoot } from "./tree.ts";
import { groth16VkHash, parseGroth16Vkey, type SnarkjsGroth16Vkey } from "./vkey.ts";

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
