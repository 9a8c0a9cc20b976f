/**
 * zkVerify aggregation in TypeScript against zkVerify's own test vectors (docs/verification-layers.md):
 * the Groth16 statement, the vk hash (SCALE encoding), substrate's aggregation tree and its paths, and
 * ZkVerifyService's handling of what zkverifyjs returns (a scripted session: the zkVerify network cannot
 * be reached from here). The contracts' side of the same vectors is in test/contracts/aggregation.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorCode } from "@zklabel/core/errors";
import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import { concat, type Hex, keccak256, sha256, stringToHex } from "viem";
import {
  aggregationPath,
  aggregationRoot,
  type FormattedGroth16Vk,
  formatGroth16Vk,
  groth16Statement,
  groth16VkHash,
  PROVING_SYSTEM_ID,
  parseGroth16Vkey,
  scaleEncodeGroth16Vk,
  toLE32,
  VERSION_HASH,
  verifyAggregationPath,
  ZkVerifyService,
  type ZkVerifySessionLike,
} from "../src/aggregation.ts";

/**
 * zkVerify/zkVerify zombienet-tests/js_scripts/groth16_data.js: a BN254 key as the groth16 pallet takes it
 * (arkworks bytes) and its VKEY_HASH, and the public input of the proof made with it.
 */
const ZOMBIENET_VK: FormattedGroth16Vk = {
  curve: "Bn254",
  alphaG1:
    "0xf23ecc6fdae0957b6f9901baa097ec1192a97795a65ef10147345343eb4901183096f9296b8d74135878afea791ad1e053c33460fefb392c61925bb086a3dda5",
  betaG2:
    "0xa17eb8514763a6f1bb824ee9da47097c8529e799f026f544e8e5bdb565f027007313fe210c046dca53e3ecbe79fe12a6dcbadec7e6e370854c49c7768a9088091512d8f91c6c6f2e78b0438ecb511fbd63e0235534d09a0b1643222d841a130cd3b32b17890c6e832aca76c4e28cb31cab8876cf0550881d115edaa9e39da4ad",
  gammaG2:
    "0xc57b18d336c2bfd4693a08c7ad91d82c9bc761f569273f15d0b3d3b341f0e11cdf8728fb8d2375eeba14f081b7ed4cb67f7c10197ea90cbb5012bfb8ee820001485d3dd137e7baf0594b73c7b954fa60f0bf5344299d80349ad3a44e2fef962365a8188bf3e4b3769246ef2fb123c5354e868ed667953f513ff72d042678cd02",
  deltaG2:
    "0x66bdd7020e111de2367423d630c6b046a1d23ef4aa4983f4476d87bf705b4328ffe5147b93264bf90e0ed74585f43910b43bf0188d86cbd236ea687d0ff7e22d3f2f288e408e98937c1febcbe43874c5ce465bde5cbd6e9628138c26a656dd222d493505af528ff9e12dcd0bbdefa5c97fb502440cfa097045abef314456050a",
  gammaAbcG1: [
    "0x2c3c89c560512b2d0b08da1e848f41d6ca559d1b58df315625e95ab0310e3b0f4976fe82316d238aa35b63cdff2f0ef108b9d76c6b45f1eb57dbdfcbe663dc9d",
    "0x254fe8f76591c219562ede7a5807212abc9427bdb012a9145fe48fe49077711d36bef432122d026d20ed95a2c1e3d7f0c63e6349e112d6786722f40fa6589811",
  ],
};
const ZOMBIENET_VKEY_HASH = "0x0b73d0a95f9b4ce2ab7bb7fd474a4cb9cd5e04086526c0c873d0bdd5a61e23d7";
const ZOMBIENET_PUB_LE = "0xa75d1fe3e7eb2f0bd2d88886c679582b85a74ee4a6b77b2d07617b85089da420";

/**
 * The same key as a snarkjs vkey.json: each coordinate read back from its 32 little-endian bytes (G2 as
 * [c0, c1] pairs), which is the inverse of zkverifyjs's snarkjs formatter. The zombienet bytes carry
 * arkworks' y-sign flag bits (some y here exceed the base field), which the pallet ignores when it reads
 * the points but which are part of the hashed bytes: kept, so the vector's hash stays the vector's.
 */
const fromLE = (h: string) => BigInt(`0x${(h.match(/../g) ?? []).reverse().join("")}`).toString();
const g1 = (h: string) => [fromLE(h.slice(2, 66)), fromLE(h.slice(66, 130)), "1"];
const g2 = (h: string) => [
  [fromLE(h.slice(2, 66)), fromLE(h.slice(66, 130))],
  [fromLE(h.slice(130, 194)), fromLE(h.slice(194, 258))],
  ["1", "0"],
];
const ZOMBIENET_SNARKJS = {
  protocol: "groth16",
  curve: "bn128",
  nPublic: 1,
  vk_alpha_1: g1(ZOMBIENET_VK.alphaG1),
  vk_beta_2: g2(ZOMBIENET_VK.betaG2),
  vk_gamma_2: g2(ZOMBIENET_VK.gammaG2),
  vk_delta_2: g2(ZOMBIENET_VK.deltaG2),
  IC: ZOMBIENET_VK.gammaAbcG1.map(g1),
};

/** zkVerify/zkv-attestation-contracts test/zkVerifyAggregation.test.js: statements 1..7 and their tree. */
const SEVEN: Hex[] = Array.from({ length: 7 }, (_, i) => `0x${(i + 1).toString(16).padStart(64, "0")}` as const);
const SEVEN_ROOT = "0xd2297c32eeb9a5378d85368ed029315498d1b40d9b03e9ad93bee97a382b47c8";
const A = "0x405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace";
const B = "0x4a008209643838d588e1e3949a8a49c2dc4dfb50ee6aab985a7cf6eccba95084";
const C = "0xc7bd4d69c8648fe845b6e254ee355bdee759904dde840623da4d218300cb6e89";
const D = "0x50387073e2d4f7060a3c02c3c5268d8a72700a28b5cbd7e23314ae0e1ebda895";
const E = "0xa66cc928b5edb82af9bd49922954155ab7b0942694bea4ce44661d9a8736c688";
const F = "0x1e8cc8511a4954df48a80e5f5b8da3419a99ba3e7697574234e10893022167fc";
const SEVEN_PATHS: Hex[][] = [
  [A, B, C],
  ["0xb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6", B, C],
  ["0x8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b", D, C],
  ["0xc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b", D, C],
  ["0xf652222313e28459528d920b65115c16c04f3efc82aaedc97be59f3f377c0d3f", E, F],
  ["0x036b6384b5eca791c62761152d0c79bb0604c104a5fb6f4eb0703f3154bb3db0", E, F],
  // Leaf 6 is the odd last one: promoted at the first level, so its path has two elements.
  ["0x75d78cae9ac952a6bdb1d50ff7497e0fc5986fff3e26261710f96f2e29ff6552", F],
];

const code = (c: string) => (e: unknown) => errorCode(e) === c;

describe("statement of a Groth16 proof (zkVerify's leaf)", () => {
  it("uses keccak256('groth16') and sha256('') (sha256, not keccak) as zkVerify's contracts do", () => {
    assert.equal(PROVING_SYSTEM_ID, "0x359ae2ccd87b570b49c699e3bb41c0b958bf229c8058a3dd04bd8ee2ac22c2a0");
    assert.equal(PROVING_SYSTEM_ID, keccak256(stringToHex("groth16")));
    assert.equal(VERSION_HASH, "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert.equal(VERSION_HASH, sha256("0x"));
  });

  it("encodes inputs as 32 bytes little-endian (zkv-attestation-contracts encodePublicInputs vector)", () => {
    const inputs = [
      BigInt(`0x${Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, "0")).join("")}`),
      0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeffn,
    ];
    assert.equal(
      concat(inputs.map(toLE32)),
      "0x1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
    );
  });

  it("matches zkv-attestation-contracts' statementHash vector", () => {
    assert.equal(
      groth16Statement("0x03cd0bc2734df75ba69a2328fa4bac1bc4981c6942a421826d36e6cb00318df7", [42n, 24n]),
      "0x241367b89d78d1f33d40b4704a186826fe863ad6abaa7a4596ba964c442487c4",
    );
    // Strings (snarkjs public signals) and bigints give the same statement.
    assert.equal(
      groth16Statement("0x03cd0bc2734df75ba69a2328fa4bac1bc4981c6942a421826d36e6cb00318df7", ["42", "24"]),
      "0x241367b89d78d1f33d40b4704a186826fe863ad6abaa7a4596ba964c442487c4",
    );
  });

  it("the zombienet proof's statement (computed, not in any source: a self-consistency check)", () => {
    const pub = BigInt(fromLE(ZOMBIENET_PUB_LE.slice(2)));
    assert.equal(toLE32(pub), ZOMBIENET_PUB_LE);
    assert.equal(
      groth16Statement(ZOMBIENET_VKEY_HASH, [pub]),
      "0x63119b9c316fdbfb55676fd6fc5de671e40db049cab16b5b0e43b693d581e66e",
    );
  });

  it("refuses inputs zkVerify refuses: not a field element, more than 64, a vk hash that is not 32 bytes", () => {
    const vk = ZOMBIENET_VKEY_HASH;
    assert.throws(() => groth16Statement(vk, [SNARK_SCALAR_FIELD]), code("invalid_input"));
    assert.throws(() => groth16Statement(vk, [-1n]), code("invalid_input"));
    assert.throws(() => groth16Statement(vk, ["0x"]), code("invalid_input"));
    assert.throws(() => groth16Statement(vk, Array(65).fill(1n)), code("invalid_input"));
    assert.doesNotThrow(() => groth16Statement(vk, Array(64).fill(1n)));
    assert.throws(() => groth16Statement("0x1234", [1n]), code("invalid_input"));
  });
});

describe("vk hash of a snarkjs Groth16 key (keccak256 of its SCALE encoding)", () => {
  it("reproduces zkVerify's zombienet VKEY_HASH from the pallet's key bytes", () => {
    const encoded = scaleEncodeGroth16Vk(ZOMBIENET_VK);
    // curve byte, then compact lengths 64 -> 0x0101, 128 -> 0x0102, two IC points -> 0x08.
    assert.equal(encoded.slice(0, 8), "0x000101");
    assert.equal(keccak256(encoded), ZOMBIENET_VKEY_HASH);
  });

  it("formats a snarkjs vkey.json as zkverifyjs does, and hashes it to the same VKEY_HASH", () => {
    assert.deepEqual(formatGroth16Vk(ZOMBIENET_SNARKJS), ZOMBIENET_VK);
    assert.equal(groth16VkHash(ZOMBIENET_SNARKJS), ZOMBIENET_VKEY_HASH);
  });

  it("refuses what is not a snarkjs BN254 Groth16 key zkVerify can take", () => {
    assert.throws(() => parseGroth16Vkey({ ...ZOMBIENET_SNARKJS, curve: "bls12381" }), code("invalid_input"));
    assert.throws(() => parseGroth16Vkey({ ...ZOMBIENET_SNARKJS, protocol: "plonk" }), code("invalid_input"));
    assert.throws(() => parseGroth16Vkey({ ...ZOMBIENET_SNARKJS, nPublic: 2 }), /2 public inputs/);
    assert.throws(() => parseGroth16Vkey({ ...ZOMBIENET_SNARKJS, nPublic: 65 }), code("invalid_input"));
    assert.throws(
      () => parseGroth16Vkey({ ...ZOMBIENET_SNARKJS, vk_alpha_1: [(1n << 256n).toString(), "1", "1"] }),
      code("invalid_input"),
    );
  });
});

describe("aggregation tree (substrate binary_merkle_tree over keccak256)", () => {
  it("matches zkv-attestation-contracts' seven-leaf root and every path, the odd last leaf promoted", () => {
    assert.equal(aggregationRoot(SEVEN), SEVEN_ROOT);
    for (let i = 0; i < 7; i++) {
      const p = aggregationPath(SEVEN, i);
      assert.deepEqual(p.merklePath, SEVEN_PATHS[i], `path of leaf ${i}`);
      assert.equal(p.root, SEVEN_ROOT);
      assert.equal(p.leafCount, 7);
      assert.equal(verifyAggregationPath(SEVEN_ROOT, SEVEN_PATHS[i], 7, i, SEVEN[i]), true);
    }
  });

  it("one leaf: the root is keccak256(statement) and the path is empty; no leaves: 32 zero bytes", () => {
    const one = [SEVEN[0]];
    assert.equal(aggregationRoot(one), "0xb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6");
    assert.equal(aggregationRoot(one), keccak256(SEVEN[0]));
    assert.deepEqual(aggregationPath(one, 0).merklePath, []);
    assert.equal(aggregationRoot([]), `0x${"00".repeat(32)}`);
  });

  it("every path of every tree up to 33 leaves, and of the largest (128), verifies, and only at its own place", () => {
    const statements = Array.from({ length: 128 }, (_, i) => keccak256(toLE32(BigInt(i + 1000))));
    const sizes = [...Array.from({ length: 33 }, (_, i) => i + 1), 127, 128];
    for (const n of sizes) {
      const leaves = statements.slice(0, n);
      const root = aggregationRoot(leaves);
      const indexes = n <= 33 ? Array.from({ length: n }, (_, i) => i) : [0, 1, 63, 64, n - 2, n - 1];
      for (const i of indexes) {
        const { merklePath } = aggregationPath(leaves, i);
        assert.ok(merklePath.length <= Math.ceil(Math.log2(n)), `n=${n} i=${i}: path length`);
        assert.equal(verifyAggregationPath(root, merklePath, n, i, leaves[i]), true, `n=${n} i=${i}`);
        if (n > 1) {
          assert.equal(verifyAggregationPath(root, merklePath, n, i, leaves[(i + 1) % n]), false, "another leaf");
        }
      }
    }
  });

  it("refuses a tampered path, another index, the leaf itself as its node, and an index past the count", () => {
    const p = aggregationPath(SEVEN, 2);
    const tampered = [...p.merklePath];
    tampered[1] = keccak256(tampered[1]);
    assert.equal(verifyAggregationPath(SEVEN_ROOT, tampered, 7, 2, SEVEN[2]), false);
    assert.equal(verifyAggregationPath(SEVEN_ROOT, p.merklePath, 7, 3, SEVEN[2]), false);
    // A leaf count that moves the pair order (index 2 as the last of 3) breaks the path too.
    assert.equal(verifyAggregationPath(SEVEN_ROOT, p.merklePath, 3, 2, SEVEN[2]), false);
    // The statement is hashed once more: its leaf node in place of the statement does not verify.
    assert.equal(verifyAggregationPath(SEVEN_ROOT, p.merklePath, 7, 2, keccak256(SEVEN[2])), false);
    assert.throws(() => verifyAggregationPath(SEVEN_ROOT, p.merklePath, 7, 7, SEVEN[2]), code("invalid_input"));
    assert.throws(() => aggregationPath(SEVEN, 7), code("invalid_input"));
    assert.throws(() => aggregationRoot(["0x01"]), code("invalid_input"));
  });
});

describe("ZkVerifyService (zkverifyjs 2.3 session, scripted)", () => {
  const proof = {
    pi_a: ["1", "2", "1"],
    pi_b: [
      ["1", "2"],
      ["3", "4"],
      ["1", "0"],
    ],
    pi_c: ["5", "6", "1"],
  };
  const pub = [BigInt(fromLE(ZOMBIENET_PUB_LE.slice(2)))];
  const statement = groth16Statement(ZOMBIENET_VKEY_HASH, pub);
  const others = [keccak256("0x01"), keccak256("0x02")];
  const leaves = [others[0], statement, others[1]];
  const tree = aggregationPath(leaves, 1);
  const blockHash = keccak256("0xb10c");

  /** A session that answers like zkverifyjs, with `change` applied to one of its answers. */
  function session(change: { info?: object; receipt?: object; path?: object } = {}) {
    const calls: string[] = [];
    const s: ZkVerifySessionLike = {
      verify: () => ({
        groth16: (config) => ({
          execute: async (input) => {
            calls.push(`execute ${config.library}/${config.curve} domain ${input.domainId}`);
            assert.deepEqual(input.proofData.publicSignals, pub.map(String));
            return {
              transactionResult: Promise.resolve({
                blockHash: keccak256("0x01"),
                status: "finalized",
                proofType: "groth16",
                domainId: 2,
                aggregationId: 17,
                statement,
                ...change.info,
              }),
            };
          },
        }),
      }),
      waitForAggregationReceipt: async (domainId, aggregationId) => {
        calls.push(`wait ${domainId}/${aggregationId}`);
        return { blockHash, domainId, aggregationId, receipt: tree.root, ...change.receipt };
      },
      getAggregateStatementPath: async (at, domainId, aggregationId, st) => {
        calls.push(
          `path at ${at === blockHash ? "receipt block" : at} ${domainId}/${aggregationId} ${st === statement}`,
        );
        return {
          root: tree.root,
          proof: tree.merklePath,
          numberOfLeaves: 3,
          leafIndex: 1,
          leaf: statement,
          ...change.path,
        };
      },
    };
    return { s, calls };
  }

  it("submits with the domain, waits for the receipt, reads the path at the receipt's block and checks it", async () => {
    const { s, calls } = session();
    const svc = new ZkVerifyService({ session: s, vkey: ZOMBIENET_SNARKJS, domainId: 2 });
    assert.equal(svc.vkHash, ZOMBIENET_VKEY_HASH);
    const got = await svc.submit(proof, pub);
    assert.deepEqual(got, {
      domainId: 2n,
      aggregationId: 17n,
      leaf: statement,
      merklePath: tree.merklePath,
      leafCount: 3n,
      index: 1n,
    });
    assert.deepEqual(calls, ["execute snarkjs/bn128 domain 2", "wait 2/17", "path at receipt block 2/17 true"]);
  });

  it("refuses answers that do not check out: another statement, a malformed receipt, a path to another root", async () => {
    const svc = (change: Parameters<typeof session>[0]) =>
      new ZkVerifyService({ session: session(change).s, vkey: ZOMBIENET_SNARKJS, domainId: 2 });
    await assert.rejects(svc({ info: { statement: others[0] } }).submit(proof, pub), /vk hash differs/);
    await assert.rejects(svc({ info: { aggregationId: undefined } }).submit(proof, pub), /unexpected verification/);
    await assert.rejects(svc({ info: { domainId: 3 } }).submit(proof, pub), /domain 3/);
    await assert.rejects(svc({ receipt: { receipt: "1,234" } }).submit(proof, pub), /unexpected aggregation receipt/);
    await assert.rejects(svc({ receipt: { receipt: others[1] } }).submit(proof, pub), /does not lead/);
    await assert.rejects(svc({ path: { proof: [others[0], others[1]] } }).submit(proof, pub), /does not lead/);
    await assert.rejects(svc({ path: { leafIndex: 3 } }).submit(proof, pub), /does not lead/);
    await assert.rejects(svc({ path: { numberOfLeaves: "3" } }).submit(proof, pub), /unexpected statement path/);
  });
});
