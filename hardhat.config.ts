import { createRequire } from "node:module";
import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatViemAssertions from "@nomicfoundation/hardhat-viem-assertions";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
const solc = require("solc/package.json") as { version: string };
const compiler = (runs: number) => ({
  version: solc.version,
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs }, evmVersion: "cancun" },
});

function publicChain(chainType: "l1" | "op" | "generic", rpcVariable: string) {
  return {
    type: "http" as const,
    chainType,
    url: configVariable(rpcVariable),
    accounts: [configVariable("ZKLABEL_DEPLOYER_KEY")],
  };
}

export default defineConfig({
  plugins: [hardhatViem, hardhatViemAssertions, hardhatNodeTestRunner, hardhatNetworkHelpers, hardhatIgnitionViem],
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
    // Ignition's module (contracts/ignition/modules) and its per-chain journals (contracts/ignition/deployments).
    ignition: "contracts/ignition",
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // Public chains (docs/deploy.md). The RPC URL and the deployer's key are configuration variables:
    // Hardhat reads them from its encrypted keystore (npx hardhat keystore set ...) or the environment,
    // never from this repository (the deploy refuses a key found in a file here).
    sepolia: publicChain("l1", "SEPOLIA_RPC_URL"),
    mainnet: publicChain("l1", "MAINNET_RPC_URL"),
    baseSepolia: publicChain("op", "BASE_SEPOLIA_RPC_URL"),
    base: publicChain("op", "BASE_RPC_URL"),
    optimismSepolia: publicChain("op", "OPTIMISM_SEPOLIA_RPC_URL"),
    optimism: publicChain("op", "OPTIMISM_RPC_URL"),
    // Any other chain: its RPC URL in ZKLABEL_RPC_URL.
    custom: publicChain("generic", "ZKLABEL_RPC_URL"),
  },
});
