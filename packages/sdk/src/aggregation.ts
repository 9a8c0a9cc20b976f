/**
 * Proofs verified off the EVM by zkVerify and aggregated (docs/verification-layers.md): zkVerify checks a
 * snarkjs Groth16 proof, puts its *statement* (a hash of the verification key and the public inputs) in an
 * aggregation, and a Merkle root of each aggregation is posted to the receipt contract on the EVM chain.
 * The escrow's rule verifier `AggregatedGroth16Verifier` (contracts/aggregation/) accepts a batch whose
 * statement is shown to be in a posted root.
 *
 * Here, one module each (./aggregation/): the statement (`groth16Statement`, statement.ts), zkVerify's hash
 * of a snarkjs vkey.json (`groth16VkHash`, vkey.ts), the aggregation tree and its paths (`aggregationPath`,
 * `verifyAggregationPath`: substrate's binary_merkle_tree, as the contracts check it; tree.ts), the receipt
 * contract's and the adapter's ABIs (contracts.ts), and an `AggregationService` (service.ts) with two
 * implementations: `LocalAggregator` (local.ts: our own receipt contract on a local chain; what the tests
 * drive) and `ZkVerifyService` (zkverify.ts: zkverifyjs against the zkVerify network).
 */
export * from "./aggregation/contracts.ts";
export * from "./aggregation/local.ts";
export * from "./aggregation/service.ts";
export {
  groth16Statement,
  MAX_PUBLIC_INPUTS,
  PROVING_SYSTEM_ID,
  toLE32,
  VERSION_HASH,
} from "./aggregation/statement.ts";
export * from "./aggregation/tree.ts";
export * from "./aggregation/vkey.ts";
export * from "./aggregation/zkverify.ts";
