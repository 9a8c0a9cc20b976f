// Generated from circuits/circuits.json by scripts/circuits/gen-layout.ts.
// Do not edit: run `node scripts/circuits/gen-layout.ts`.

/** One entry of circuits/circuits.json: a compiled circuit variant. */
export interface CircuitEntry {
  readonly name: string;
  /** The rule it proves, "core" for the rule-independent library harness, "access" for the vault's download ticket. */
  readonly rule: string;
  readonly ruleId?: number;
  /** A worker's batch proof (absent: the default) or a requester's gold rejection of a batch. */
  readonly role?: "worker" | "reject";
  readonly file: string;
  readonly template: string;
  readonly params: Readonly<Record<string, number>>;
  readonly labelBits?: number;
  /** Names in the circuit's order; array-valued inputs flatten in place (see publicInputSlots). */
  readonly publicInputs: readonly string[];
  /** Keyed and deployed behind the escrow (per rule: one worker circuit, and one rejection for a rule with gold). */
  readonly deploy: boolean;
  /** false: compiled only, no keys. */
  readonly setup?: boolean;
  /** Keys served to the app and the workers. */
  readonly serve?: boolean;
  /** false: no Solidity verifier. */
  readonly solidity?: boolean;
}

/** Where one named public input sits in a circuit's public signal vector. */
export interface PublicInputSlot {
  readonly name: string;
  /** Index of its first field element. */
  readonly offset: number;
  /** Field elements it takes; "rest" for the last input, whose length follows the circuit's parameters (the ciphertext). */
  readonly width: number | "rest";
  /** An array in the circuit (flattened in place), even when one element wide. */
  readonly array: boolean;
}

/** Every registered circuit, in registry order. */
export const circuitRegistry: readonly CircuitEntry[] = [
  /** the rule-only classification batch (no membership, nullifier or encryption): compiled for the soundness tests and the per-label measurement, never keyed or deployed */
  {
    name: "classification_n64_d20",
    rule: "classification",
    ruleId: 1,
    file: "circuits/classification.circom",
    template: "ClassificationBatch",
    params: { N: 64, DEPTH: 20 },
    labelBits: 5,
    publicInputs: ["taskHash", "batchIndex", "count", "recipient", "labelsCommitment"],
    deploy: false,
    setup: false,
  },
  /** small variant for the exhaustive soundness tests */
  {
    name: "classification_n4_d4",
    rule: "classification",
    ruleId: 1,
    file: "circuits/classification.circom",
    template: "ClassificationBatch",
    params: { N: 4, DEPTH: 4 },
    labelBits: 5,
    publicInputs: ["taskHash", "batchIndex", "count", "recipient", "labelsCommitment"],
    deploy: false,
  },
  /** the complete worker proof (PROTOCOL constraints 1-7): keyed and deployed behind the escrow */
  {
    name: "classification_worker_n64_d20_g20",
    rule: "classification",
    ruleId: 1,
    file: "circuits/classification.circom",
    template: "ClassificationWorkerBatch",
    params: { N: 64, DEPTH: 20, GROUP_DEPTH: 20 },
    labelBits: 5,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: true,
  },
  /** N = 32 twin of the complete worker proof: (C(64) - C(32)) / 32 is the measured cost per label */
  {
    name: "classification_worker_n32_d20_g20",
    rule: "classification",
    ruleId: 1,
    file: "circuits/classification.circom",
    template: "ClassificationWorkerBatch",
    params: { N: 32, DEPTH: 20, GROUP_DEPTH: 20 },
    labelBits: 5,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: false,
    setup: false,
  },
  /** the complete bounding-box worker proof: keyed and deployed behind the escrow (rule 2) */
  {
    name: "bbox_worker_n64_d20_g20",
    rule: "bbox",
    ruleId: 2,
    file: "circuits/bounding_box.circom",
    template: "BoxWorkerBatch",
    params: { N: 64, DEPTH: 20, GROUP_DEPTH: 20 },
    labelBits: 72,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: true,
  },
  /** N = 32 twin for the per-label measurement */
  {
    name: "bbox_worker_n32_d20_g20",
    rule: "bbox",
    ruleId: 2,
    file: "circuits/bounding_box.circom",
    template: "BoxWorkerBatch",
    params: { N: 32, DEPTH: 20, GROUP_DEPTH: 20 },
    labelBits: 72,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: false,
    setup: false,
  },
  /** the complete sensor-range worker proof: keyed and deployed behind the escrow (rule 3) */
  {
    name: "sensor_worker_n32_d20_t16_g20",
    rule: "sensor",
    ruleId: 3,
    file: "circuits/sensor_range.circom",
    template: "SensorWorkerBatch",
    params: { N: 32, DEPTH: 20, T: 16, GROUP_DEPTH: 20 },
    labelBits: 1,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: true,
  },
  /** N = 16 twin for the per-label measurement */
  {
    name: "sensor_worker_n16_d20_t16_g20",
    rule: "sensor",
    ruleId: 3,
    file: "circuits/sensor_range.circom",
    template: "SensorWorkerBatch",
    params: { N: 16, DEPTH: 20, T: 16, GROUP_DEPTH: 20 },
    labelBits: 1,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: false,
    setup: false,
  },
  /** the requester's gold rejection of a classification batch (accuracy on the batch's gold items below a bound): keyed and deployed, the rejection the escrow verifies for rule 1 */
  {
    name: "classification_reject_n64_d20",
    rule: "classification",
    ruleId: 1,
    role: "reject",
    file: "circuits/classification_reject.circom",
    template: "ClassificationReject",
    params: { N: 64, DEPTH: 20 },
    labelBits: 5,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: true,
  },
  /** N = 32 twin of the classification rejection, for the per-label measurement */
  {
    name: "classification_reject_n32_d20",
    rule: "classification",
    ruleId: 1,
    role: "reject",
    file: "circuits/classification_reject.circom",
    template: "ClassificationReject",
    params: { N: 32, DEPTH: 20 },
    labelBits: 5,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: false,
    setup: false,
  },
  /** small variant of the classification rejection for the exhaustive soundness tests */
  {
    name: "classification_reject_n4_d4",
    rule: "classification",
    ruleId: 1,
    role: "reject",
    file: "circuits/classification_reject.circom",
    template: "ClassificationReject",
    params: { N: 4, DEPTH: 4 },
    labelBits: 5,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: false,
  },
  /** the requester's gold rejection of a bounding-box batch (class equal and IoU >= goldThreshold percent): keyed and deployed, the rejection the escrow verifies for rule 2 */
  {
    name: "bbox_reject_n64_d20",
    rule: "bbox",
    ruleId: 2,
    role: "reject",
    file: "circuits/bounding_box_reject.circom",
    template: "BoxReject",
    params: { N: 64, DEPTH: 20 },
    labelBits: 72,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: true,
  },
  /** N = 32 twin of the bounding-box rejection, for the per-label measurement */
  {
    name: "bbox_reject_n32_d20",
    rule: "bbox",
    ruleId: 2,
    role: "reject",
    file: "circuits/bounding_box_reject.circom",
    template: "BoxReject",
    params: { N: 32, DEPTH: 20 },
    labelBits: 72,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: false,
    setup: false,
  },
  /** small variant of the bounding-box rejection for the exhaustive soundness tests */
  {
    name: "bbox_reject_n4_d4",
    rule: "bbox",
    ruleId: 2,
    role: "reject",
    file: "circuits/bounding_box_reject.circom",
    template: "BoxReject",
    params: { N: 4, DEPTH: 4 },
    labelBits: 72,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: false,
  },
  /** the requester's gold rejection of a polygon batch (class equal and raster IoU >= goldThreshold percent, at most SLOTS gold items per batch): keyed and deployed, the rejection the escrow verifies for rule 4 */
  {
    name: "polygon_reject_n32_d20",
    rule: "polygon",
    ruleId: 4,
    role: "reject",
    file: "circuits/polygon_reject.circom",
    template: "PolygonReject",
    params: { N: 32, DEPTH: 20, SLOTS: 3, GRID: 8 },
    labelBits: 200,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: true,
  },
  /** N = 16 twin of the polygon rejection (same slots), for the per-label measurement */
  {
    name: "polygon_reject_n16_d20",
    rule: "polygon",
    ruleId: 4,
    role: "reject",
    file: "circuits/polygon_reject.circom",
    template: "PolygonReject",
    params: { N: 16, DEPTH: 20, SLOTS: 3, GRID: 8 },
    labelBits: 200,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: false,
    setup: false,
  },
  /** small variant of the polygon rejection for the soundness tests (the deployed GRID, two slots) */
  {
    name: "polygon_reject_n4_d4",
    rule: "polygon",
    ruleId: 4,
    role: "reject",
    file: "circuits/polygon_reject.circom",
    template: "PolygonReject",
    params: { N: 4, DEPTH: 4, SLOTS: 2, GRID: 8 },
    labelBits: 200,
    publicInputs: ["goldRoot", "batchIndex", "count", "labelsCommitment", "bound", "goldThreshold"],
    deploy: false,
  },
  /** the entity-span worker proof, made with the rule authoring kit (zklabel rule new spans): keyed and deployed behind the escrow (rule 5) */
  {
    name: "spans_worker_n32_d20_g20",
    rule: "spans",
    ruleId: 5,
    file: "circuits/spans.circom",
    template: "SpansWorkerBatch",
    params: { N: 32, DEPTH: 20, GROUP_DEPTH: 20 },
    labelBits: 34,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: true,
  },
  /** the polygon worker proof, made with the rule authoring kit (zklabel rule new polygon): keyed and deployed behind the escrow (rule 4) */
  {
    name: "polygon_worker_n32_d20_g20",
    rule: "polygon",
    ruleId: 4,
    file: "circuits/polygon.circom",
    template: "PolygonWorkerBatch",
    params: { N: 32, DEPTH: 20, GROUP_DEPTH: 20 },
    labelBits: 200,
    publicInputs: [
      "taskHash",
      "groupRoot",
      "nullifier",
      "batchIndex",
      "count",
      "recipient",
      "epk",
      "labelsCommitment",
      "ciphertext",
    ],
    deploy: true,
  },
  /** the rule-independent part of the worker proof (membership, nullifier, encryption): WorkerEnvelope itself, the template every rule's RuleEnvelope instantiates, compiled alone for its tests and to measure the fixed cost of circuits/budgets.json; no keys */
  {
    name: "worker_core_d20_l4",
    rule: "core",
    file: "circuits/lib/worker.circom",
    template: "WorkerEnvelope",
    params: { GROUP_DEPTH: 20, LEN: 4 },
    publicInputs: ["taskHash", "batchIndex", "groupRoot", "nullifier", "epk", "ciphertext"],
    deploy: false,
    setup: false,
  },
  /** the data vault's download ticket: membership in the task's worker group for one (task, batch), bound to the vault's single-use challenge; keyed and served to workers, verified by the vault off-chain (no Solidity verifier) */
  {
    name: "vault_access_g20",
    rule: "access",
    file: "circuits/vault_access.circom",
    template: "VaultAccess",
    params: { GROUP_DEPTH: 20 },
    publicInputs: ["groupRoot", "accessTag", "taskHash", "batchIndex", "challenge"],
    deploy: false,
    serve: true,
    solidity: false,
  },
];

/** Each circuit's public inputs with their positions, by circuit name. */
export const publicInputSlots: Readonly<Record<string, readonly PublicInputSlot[]>> = {
  classification_n64_d20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "recipient", offset: 3, width: 1, array: false },
    { name: "labelsCommitment", offset: 4, width: 1, array: false },
  ],
  classification_n4_d4: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "recipient", offset: 3, width: 1, array: false },
    { name: "labelsCommitment", offset: 4, width: 1, array: false },
  ],
  classification_worker_n64_d20_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  classification_worker_n32_d20_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  bbox_worker_n64_d20_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  bbox_worker_n32_d20_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  sensor_worker_n32_d20_t16_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  sensor_worker_n16_d20_t16_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  classification_reject_n64_d20: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  classification_reject_n32_d20: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  classification_reject_n4_d4: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  bbox_reject_n64_d20: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  bbox_reject_n32_d20: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  bbox_reject_n4_d4: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  polygon_reject_n32_d20: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  polygon_reject_n16_d20: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  polygon_reject_n4_d4: [
    { name: "goldRoot", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "count", offset: 2, width: 1, array: false },
    { name: "labelsCommitment", offset: 3, width: 1, array: false },
    { name: "bound", offset: 4, width: 1, array: false },
    { name: "goldThreshold", offset: 5, width: 1, array: false },
  ],
  spans_worker_n32_d20_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  polygon_worker_n32_d20_g20: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "groupRoot", offset: 1, width: 1, array: false },
    { name: "nullifier", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "count", offset: 4, width: 1, array: false },
    { name: "recipient", offset: 5, width: 1, array: false },
    { name: "epk", offset: 6, width: 2, array: true },
    { name: "labelsCommitment", offset: 8, width: 1, array: false },
    { name: "ciphertext", offset: 9, width: "rest", array: true },
  ],
  worker_core_d20_l4: [
    { name: "taskHash", offset: 0, width: 1, array: false },
    { name: "batchIndex", offset: 1, width: 1, array: false },
    { name: "groupRoot", offset: 2, width: 1, array: false },
    { name: "nullifier", offset: 3, width: 1, array: false },
    { name: "epk", offset: 4, width: 2, array: true },
    { name: "ciphertext", offset: 6, width: "rest", array: true },
  ],
  vault_access_g20: [
    { name: "groupRoot", offset: 0, width: 1, array: false },
    { name: "accessTag", offset: 1, width: 1, array: false },
    { name: "taskHash", offset: 2, width: 1, array: false },
    { name: "batchIndex", offset: 3, width: 1, array: false },
    { name: "challenge", offset: 4, width: 1, array: false },
  ],
};
