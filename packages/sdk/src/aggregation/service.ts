/** What an aggregation service gives: where a proof's statement sits in a posted aggregation. */
import type { SnarkjsProof } from "@zklabel/core/proof";
import type { Hex } from "viem";

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
