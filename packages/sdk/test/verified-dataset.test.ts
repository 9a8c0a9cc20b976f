/**
 * The verifiable dataset export's pure parts on hand-made data: the escrow's batchesDigest, the
 * verified batches in verification order (a rejected and resubmitted batch counts by its last
 * submission), the completion event, calldata decoding (direct, several batches, aggregated), the
 * verifier's calldata layout and provenance validation.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DecodedLog } from "@zklabel/sdk/events";
import {
  batchesDigest,
  completionOf,
  PROVENANCE_FORMAT,
  proofFromCalldata,
  readProvenance,
  verifiedBatchesOf,
  verifyProofCalldata,
} from "@zklabel/sdk/verified-dataset";
import { concatHex, encodeFunctionData, keccak256, numberToHex, toFunctionSelector, zeroAddress } from "viem";
import { escrowAbi } from "../src/abi-escrow.ts";
import { aggregatedVerifierAbi } from "../src/aggregation/contracts.ts";

const w = (x: bigint | number) => numberToHex(BigInt(x), { size: 32 });

let seq = 0;
const log = (eventName: string, blockNumber: bigint, args: Record<string, unknown>): DecodedLog =>
  ({
    eventName,
    args,
    blockNumber,
    logIndex: seq++,
    transactionHash: `0x${String(seq).padStart(64, "0")}`,
  }) as unknown as DecodedLog;

describe("verified dataset: pure parts", () => {
  it("batchesDigest starts at the task hash and folds keccak256(abi.encode(d, batchIndex, keccak256(abi.encode(nullifier, labelsCommitment))))", () => {
    const taskHash = 777n;
    assert.equal(batchesDigest(taskHash, []), w(taskHash));
    const batches = [
      { batchIndex: 2, nullifier: 11n, labelsCommitment: 22n },
      { batchIndex: 0, nullifier: 33n, labelsCommitment: 44n },
    ];
    let d = w(taskHash);
    for (const b of batches)
      d = keccak256(concatHex([d, w(b.batchIndex), keccak256(concatHex([w(b.nullifier), w(b.labelsCommitment)]))]));
    assert.equal(batchesDigest(taskHash, batches), d);
    assert.notEqual(batchesDigest(taskHash, [...batches].reverse()), d, "the order counts");
    assert.notEqual(batchesDigest(taskHash + 1n, batches), d, "the task counts");
  });

  it("verified batches come in verification order, each by its last submission; other tasks and pending batches are left out", () => {
    const logs = [
      log("BatchSubmitted", 5n, { taskId: 1n, batchIndex: 1n, nullifier: 1n, labelsCommitment: 10n }),
      log("BatchSubmitted", 5n, { taskId: 1n, batchIndex: 0n, nullifier: 2n, labelsCommitment: 20n }),
      log("BatchRejected", 6n, { taskId: 1n, batchIndex: 1n }),
      log("BatchSubmitted", 6n, { taskId: 2n, batchIndex: 0n, nullifier: 9n, labelsCommitment: 90n }),
      log("BatchVerified", 7n, { taskId: 1n, batchIndex: 0n }),
      log("BatchSubmitted", 8n, { taskId: 1n, batchIndex: 1n, nullifier: 3n, labelsCommitment: 30n }),
      log("BatchSubmitted", 8n, { taskId: 1n, batchIndex: 2n, nullifier: 4n, labelsCommitment: 40n }),
      log("BatchVerified", 9n, { taskId: 1n, batchIndex: 1n }),
    ];
    const v = verifiedBatchesOf([...logs].reverse(), 1n);
    assert.deepEqual(
      v.map((x) => [x.batchIndex, x.submitted.args.nullifier]),
      [
        [0, 2n],
        [1, 3n],
      ],
    );
    assert.equal(completionOf(logs, 1n), null);
    const done = log("TaskCompleted", 9n, { taskId: 1n, itemCount: 32, verifiedItems: 32, batchesDigest: "0xAB" });
    assert.deepEqual(completionOf([...logs, done], 1n), {
      datasetRoot: undefined,
      verifier: undefined,
      transaction: done.transactionHash,
      blockNumber: 9n,
      verifiedItems: 32,
      itemCount: 32,
      batchesDigest: "0xab",
    });
  });

  it("proofs and inputs come from submitBatch, submitBatches and (without a proof) submitBatchAggregated calldata", () => {
    const proof = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n] as const;
    const one = encodeFunctionData({ abi: escrowAbi, functionName: "submitBatch", args: [1n, 3n, proof, [9n, 10n]] });
    assert.deepEqual(proofFromCalldata(one, 3), { proof, publicInputs: [9n, 10n], aggregated: false });
    const proof2 = [8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n] as const;
    const many = encodeFunctionData({
      abi: escrowAbi,
      functionName: "submitBatches",
      args: [1n, [0n, 2n], [proof, proof2], [1n, 2n, 3n, 4n]],
    });
    assert.deepEqual(proofFromCalldata(many, 2), { proof: proof2, publicInputs: [3n, 4n], aggregated: false });
    const agg = encodeFunctionData({
      abi: aggregatedVerifierAbi,
      functionName: "submitBatchAggregated",
      args: [zeroAddress, 1n, 4n, [5n, 6n], { aggregationId: 1n, merklePath: [], leafCount: 1n, index: 0n }],
    });
    assert.deepEqual(proofFromCalldata(agg, 4), { proof: null, publicInputs: [5n, 6n], aggregated: true });
    assert.throws(() => proofFromCalldata("0x12345678", 0), /not a submission of batch 0/);
  });

  it("the verifier's calldata is the selector of verifyProof(...,uint256[K]), the proof words, then the inputs", () => {
    const data = verifyProofCalldata([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n], [9n, 10n, 11n]);
    assert.equal(data.slice(0, 10), toFunctionSelector("verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[3])"));
    assert.equal(data.length, 2 + 8 + 11 * 64);
    assert.equal(`0x${data.slice(10 + 10 * 64)}`, w(11));
  });

  it("provenance.json is validated on read, with what is wrong", () => {
    assert.throws(() => readProvenance(new Map()), /has no provenance.json/);
    assert.throws(() => readProvenance(new Map([["provenance.json", "{"]])), /not valid JSON/);
    assert.throws(
      () => readProvenance(new Map([["provenance.json", JSON.stringify({ format: "other" })]])),
      new RegExp(`not a ${PROVENANCE_FORMAT} file: format`),
    );
  });
});
