import { createRequire } from "node:module";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatViemAssertions from "@nomicfoundation/hardhat-viem-assertions";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
const solc = require("solc/package.json") as { version: string };
const compiler = (runs: number) => ({
  version: solc.version,
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs }, evmVersion: "cancun" },
});

export default defineConfig({
  plugins: [hardhatViem, hardhatViemAssertions, hardhatNodeTestRunner, hardhatNetworkHelpers],
  solidity: {
    // Hardhat downloads solc from the internet; the npm solc package's soljson
    // is the same compiler and works offline.
    compilers: [compiler(10_000)],
    // The escrow is optimized for size too, to stay under the 24,576-byte code limit.
    // (and so are the Solidity tests that deploy it: a test compiles what it imports with its own settings).
    overrides: {
      "contracts/ZkLabelEscrow.sol": compiler(500),
      "test/contracts/ZkLabelEscrow.t.sol": compiler(500),
      "test/contracts/EscrowInvariants.t.sol": compiler(500),
    },
    // Linked libraries need artifacts of their own.
    npmFilesToBuild: [
      "poseidon-solidity/PoseidonT3.sol",
      "poseidon-solidity/PoseidonT5.sol",
      "poseidon-solidity/PoseidonT6.sol",
    ],
  },
  test: {
    solidity: {
      // test/contracts/EscrowInvariants.t.sol gets real proofs from scripts/fixtures/invariant-proofs.ts.
      ffi: true,
      invariant: { runs: 48, depth: 24 },
    },
  },
  paths: {
    sources: "contracts",
    tests: { solidity: "test/contracts", nodejs: "test/contracts" },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
