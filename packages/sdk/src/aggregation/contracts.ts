/** The ABIs of the receipt contract and of the escrow's aggregated verifier, as the SDK and the tests call them. */

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
