/**
 * The one deploy path of the contracts, used by `npm run dev` (against the
 * Hardhat node) and by the tests (against an in-process chain).
 */
import { deployedCircuit, verifierName } from "@zklabel/core/registry";
import type { Address } from "viem";

/** The local development chain: the only chain the INSECURE development verifiers may go on. */
export const LOCAL_CHAIN_ID = 31337;

/** Addresses of a deployment, as the app and scripts read them. */
export interface Deployment {
  chainId: number;
  escrow: Address;
  verifier: Address;
  circuit: string;
  batchSize: number;
  datasetDepth: number;
  deployBlock: string;
  insecureDevKeys: true;
}

// Typed loosely on purpose: hardhat-viem's helper types are generic over the
// compiled artifacts, which a deploy helper should not depend on.
interface ViemHelpers {
  deployContract(
    name: string,
    args?: unknown[],
    config?: { libraries?: Record<string, Address> },
  ): Promise<{ address: Address }>;
  getPublicClient(): Promise<{ getChainId(): Promise<number>; getBlockNumber(): Promise<bigint> }>;
}

/** Deploys Poseidon libraries, the classification verifier and the escrow. */
export async function deployZkLabel(viem: ViemHelpers): Promise<Deployment> {
  const client = await viem.getPublicClient();
  const chainId = await client.getChainId();
  if (chainId !== LOCAL_CHAIN_ID) {
    throw new Error(
      `refusing to deploy to chain ${chainId}: the verifiers are built from INSECURE development keys that let anyone forge proofs. ` +
        `Deploy only to the local chain (${LOCAL_CHAIN_ID}); real networks need keys from a multi-party ceremony (docs/protocol.md, "Trusted setup").`,
    );
  }
  const deployBlock = await client.getBlockNumber();
  const circuit = deployedCircuit("classification");
  const [t3, t5, t6] = [
    await viem.deployContract("PoseidonT3"),
    await viem.deployContract("PoseidonT5"),
    await viem.deployContract("PoseidonT6"),
  ];
  const verifier = await viem.deployContract(verifierName(circuit.name));
  const escrow = await viem.deployContract(
    "ZkLabelEscrow",
    [verifier.address, BigInt(circuit.params.N), BigInt(circuit.params.DEPTH)],
    { libraries: { PoseidonT3: t3.address, PoseidonT5: t5.address, PoseidonT6: t6.address } },
  );
  return {
    chainId,
    escrow: escrow.address,
    verifier: verifier.address,
    circuit: circuit.name,
    batchSize: circuit.params.N,
    datasetDepth: circuit.params.DEPTH,
    deployBlock: deployBlock.toString(),
    insecureDevKeys: true,
  };
}
