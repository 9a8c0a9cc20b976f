/** Aggregation by the zkVerify network through zkverifyjs: ZkVerifyService. */
import { ZkLabelError } from "@zklabel/core/errors";
import type { SnarkjsProof } from "@zklabel/core/proof";
import type { Hex } from "viem";
import { z } from "zod";
import { type AggregatedStatement, type AggregationService, MAX_AGGREGATION_SIZE } from "./service.ts";
import { groth16Statement, scalars } from "./statement.ts";
import { verifyAggregationPath } from "./tree.ts";
import { groth16VkHash, parseGroth16Vkey, type SnarkjsGroth16Vkey } from "./vkey.ts";

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
