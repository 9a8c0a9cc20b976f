/**
 * `zklabel doctor`: checks a deployment against this build and the chain (docs/deploy.md).
 * - code: every contract's runtime code on chain is this build's artifact (libraries linked,
 *   immutables as deployed), and this build is the one the deployment file recorded;
 * - circuits: the circuit files clients download (.zkey, .wasm, .vkey.json) are the ones the
 *   deployment recorded, the served verification key is the served proving key's, and the on-chain
 *   verifiers embed exactly that verification key;
 * - registry: the escrow's rule entries are the deployment's (and no replacement is pending), and a
 *   ceremony's circuits name the transcript found here;
 * - state: every worker group's root is the one its events rebuild, and the task count is the
 *   number of TaskCreated events.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { stepsHash, type Transcript } from "@zklabel/core/ceremony";
import { sameRuleEntry } from "@zklabel/core/deployment";
import { groupFromEvents } from "@zklabel/core/group";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { type Artifact, findArtifact } from "@zklabel/sdk/artifacts";
import { groupEventsOf, workerGroupsReader } from "@zklabel/sdk/events";
import { escrowReader } from "@zklabel/sdk/task-info";
import * as snarkjs from "snarkjs";
import { type Address, type Hex, keccak256 } from "viem";
import { type Connection, ROOT } from "./common.ts";

export interface DoctorCheck {
  area: "chain" | "code" | "circuits" | "registry" | "state";
  what: string;
  ok: boolean;
  detail: string;
}

/** Where the circuit files clients download are: a folder, or the app's URL (its /circuits/). */
export type CircuitSource = { dir: string } | { appUrl: string };

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * Whether `onchain` is `artifact`'s runtime code with its libraries linked to `libraries` (by name)
 * and its immutables as deployed: the immutables' bytes are taken from the chain, every other byte
 * must be the build's. Returns undefined when it is, or what differs.
 */
export function codeDifference(
  artifact: Artifact,
  onchain: Hex,
  libraries: Record<string, Address>,
  self: Address,
): string | undefined {
  // Link placeholders are text in the artifact's hex ("__$…$__"): fill them before decoding.
  let hex = artifact.deployedBytecode.slice(2);
  for (const refs of Object.values(artifact.deployedLinkReferences ?? {})) {
    for (const [lib, spots] of Object.entries(refs)) {
      const address = libraries[lib];
      if (!address) return `links library ${lib}, which the deployment does not list`;
      for (const { start, length } of spots)
        hex = hex.slice(0, start * 2) + address.slice(2).toLowerCase() + hex.slice((start + length) * 2);
    }
  }
  const code = Buffer.from(hex, "hex");
  const chain = Buffer.from(onchain.slice(2), "hex");
  if (code.length !== chain.length) return `${chain.length} bytes on chain, ${code.length} in the build`;
  for (const spots of Object.values(artifact.immutableReferences ?? {})) {
    for (const { start, length } of spots) chain.copy(code, start, start, start + length);
  }
  // A library's code starts with PUSH20 of its own address (its call guard), zero in the artifact.
  if (code[0] === 0x73 && code.subarray(1, 21).every((x) => x === 0)) Buffer.from(self.slice(2), "hex").copy(code, 1);
  if (code.equals(chain)) return undefined;
  let diff = 0;
  for (let i = 0; i < code.length; i++) if (code[i] !== chain[i]) diff++;
  return `${diff} byte${diff === 1 ? "" : "s"} differ from the build`;
}

/** The constants of a snarkjs Groth16 verification key, each as the hex a verifier's code pushes. */
function vkeyConstants(vkey: {
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  IC: string[][];
}): string[] {
  const g2 = (p: string[][]) => [p[0][0], p[0][1], p[1][0], p[1][1]];
  return [
    ...vkey.vk_alpha_1.slice(0, 2),
    ...g2(vkey.vk_beta_2),
    ...g2(vkey.vk_gamma_2),
    ...g2(vkey.vk_delta_2),
    ...vkey.IC.flatMap((p) => p.slice(0, 2)),
  ].map((x) => BigInt(x).toString(16));
}

async function servedFile(src: CircuitSource, file: string): Promise<Uint8Array | undefined> {
  if ("dir" in src) {
    const path = join(src.dir, file);
    return existsSync(path) ? new Uint8Array(await readFile(path)) : undefined;
  }
  const res = await fetch(`${src.appUrl.replace(/\/$/, "")}/circuits/${file}`).catch(() => undefined);
  return res?.ok ? new Uint8Array(await res.arrayBuffer()) : undefined;
}

export async function doctor(c: Connection, src: CircuitSource): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const add = (area: DoctorCheck["area"], what: string, problem: string | undefined, good: string) =>
    out.push({ area, what, ok: problem === undefined, detail: problem ?? good });
  const d = c.deployment;
  const pc = c.client.publicClient;

  const chainId = await pc.getChainId();
  add(
    "chain",
    `chain ${d.chainId}`,
    chainId === d.chainId ? undefined : `the RPC ${c.rpc} answers for chain ${chainId}`,
    `the RPC answers for chain ${chainId}`,
  );

  // Code: the chain's contracts are this build's.
  const contracts = d.contracts ?? {};
  if (Object.keys(contracts).length === 0)
    add("code", "contract list", "the deployment file lists no contracts: redeploy with npm run deploy", "");
  const libraries = Object.fromEntries(Object.values(contracts).map((x) => [x.artifact, x.address as Address]));
  for (const [key, entry] of Object.entries(contracts)) {
    const artifact = await findArtifact(ROOT, entry.artifact);
    if (!artifact) {
      add("code", key, `no artifact of ${entry.artifact} here: run \`npx hardhat compile\``, "");
      continue;
    }
    const onchain = (await pc.getCode({ address: entry.address as Address })) ?? "0x";
    let problem: string | undefined;
    if (onchain === "0x") problem = `no code at ${entry.address}`;
    else if (keccak256(artifact.deployedBytecode) !== entry.codeHash)
      problem = `this checkout builds another ${entry.artifact} than the one deployed: check out the deployed commit`;
    else {
      const diff = codeDifference(artifact, onchain, libraries, entry.address as Address);
      if (diff) problem = `the code at ${entry.address} is not ${entry.artifact} as built: ${diff}`;
    }
    add("code", `${key} (${entry.artifact})`, problem, `${entry.address} runs this build's ${entry.artifact}`);
  }

  // Circuits: the served files are the deployed ones, and the on-chain verifiers embed their key.
  const verifiersOf = new Map<string, { label: string; address: Address }[]>();
  for (const r of d.rules ?? []) {
    verifiersOf.set(r.circuit, [
      { label: "verifier", address: r.verifier as Address },
      { label: "batch verifier", address: r.batchVerifier as Address },
    ]);
    if (r.rejectCircuit)
      verifiersOf.set(r.rejectCircuit, [{ label: "rejection verifier", address: r.rejectVerifier as Address }]);
  }
  for (const [circuit, rec] of Object.entries(d.circuits ?? {})) {
    const files = {
      zkey: await servedFile(src, `${circuit}.zkey`),
      wasm: await servedFile(src, `${circuit}.wasm`),
      vkey: await servedFile(src, `${circuit}.vkey.json`),
    };
    const want = { zkey: rec.zkeySha256, wasm: rec.wasmSha256, vkey: rec.vkeySha256 };
    const bad = (["zkey", "wasm", "vkey"] as const).filter((k) => !files[k] || sha256(files[k]) !== want[k]);
    const missing = bad.filter((k) => !files[k]);
    add(
      "circuits",
      `${circuit} files`,
      bad.length === 0
        ? undefined
        : `${bad.map((k) => `${circuit}.${k === "vkey" ? "vkey.json" : k}`).join(", ")} ${missing.length === bad.length ? "not served" : "not the file the deployment recorded"}`,
      `served .zkey, .wasm and .vkey.json are the deployed ones (${rec.keys} keys)`,
    );
    if (!files.vkey || !files.zkey) continue;
    const vkey = JSON.parse(new TextDecoder().decode(files.vkey));
    // snarkjs reads a key from memory given as { type: "mem", data } (fastfile).
    const fromZkey = await snarkjs.zKey.exportVerificationKey({ type: "mem", data: files.zkey } as never);
    add(
      "circuits",
      `${circuit} verification key`,
      JSON.stringify(fromZkey) === JSON.stringify(vkey)
        ? undefined
        : `the served ${circuit}.vkey.json is not the served proving key's`,
      "the served verification key is the served proving key's",
    );
    const constants = vkeyConstants(vkey);
    for (const v of verifiersOf.get(circuit) ?? []) {
      const code = ((await pc.getCode({ address: v.address })) ?? "0x").toLowerCase();
      const absent = constants.filter((k) => !code.includes(k));
      add(
        "circuits",
        `${circuit} ${v.label}`,
        absent.length === 0
          ? undefined
          : `the ${v.label} at ${v.address} does not embed the served verification key (${absent.length} of ${constants.length} constants missing)`,
        `the ${v.label} at ${v.address} embeds the served verification key (${constants.length} constants)`,
      );
    }
  }

  // Registry: the escrow's entries are the deployment's, and a ceremony's circuits name the transcript here.
  for (const r of d.rules ?? []) {
    const [onchain, scheduled] = await Promise.all([
      pc.readContract({ address: d.escrow as Address, abi: escrowAbi, functionName: "ruleVerifier", args: [r.ruleId] }),
      pc.readContract({
        address: d.escrow as Address,
        abi: escrowAbi,
        functionName: "scheduledRuleVerifier",
        args: [r.ruleId],
      }),
    ]);
    const same = sameRuleEntry(
      {
        ...onchain,
        batchSize: Number(onchain.batchSize),
        datasetDepth: Number(onchain.datasetDepth),
        publicInputCount: Number(onchain.publicInputCount),
      },
      {
        verifier: r.verifier as Address,
        batchVerifier: r.batchVerifier as Address,
        rejectVerifier: r.rejectVerifier as Address,
        batchSize: r.batchSize,
        datasetDepth: r.datasetDepth,
        publicInputCount: r.publicInputCount,
      },
    );
    const [next, effectiveAt] = scheduled;
    add(
      "registry",
      `rule ${r.ruleId} (${r.rule})`,
      !same
        ? `the escrow's entry for rule ${r.ruleId} (verifier ${onchain.verifier}) is not the deployment's (${r.verifier}): update the deployment file`
        : effectiveAt !== 0n
          ? `a replacement (verifier ${next.verifier}) is scheduled for ${new Date(Number(effectiveAt) * 1000).toISOString()}`
          : undefined,
      `the escrow holds the deployment's entry (verifier ${r.verifier})`,
    );
  }
  for (const [circuit, rec] of Object.entries(d.circuits ?? {})) {
    if (rec.keys !== "ceremony") continue;
    const transcript = join(ROOT, "ceremony", circuit, "transcript.json");
    if (!existsSync(transcript)) {
      add("registry", `${circuit} ceremony`, `no ceremony/${circuit}/transcript.json here to check it against`, "");
      continue;
    }
    // The hash a ceremony's verifiers name (stepsHash, as the ceremony computes it).
    const t = JSON.parse(await readFile(transcript, "utf8")) as Transcript;
    const here = stepsHash(t);
    add(
      "registry",
      `${circuit} ceremony`,
      !t.final
        ? "its ceremony is not finalized here"
        : here !== rec.transcriptSha256
          ? `deployed from transcript ${rec.transcriptSha256?.slice(0, 16)}…, the one here is ${here.slice(0, 16)}…`
          : undefined,
      `deployed from the transcript here (${t.steps.length - 2} contributions and a beacon)`,
    );
  }

  // State: roots and counts agree with the events.
  const groupLogs = await workerGroupsReader({
    client: pc,
    address: d.groups as Address,
    fromBlock: BigInt(d.deployBlock),
  }).read();
  const groupCount = await pc.readContract({
    address: d.groups as Address,
    abi: groupsAbi,
    functionName: "groupCount",
  });
  for (let g = 0n; g < groupCount; g++) {
    const root = await pc.readContract({
      address: d.groups as Address,
      abi: groupsAbi,
      functionName: "groupRoot",
      args: [g],
    });
    let problem: string | undefined;
    try {
      const tree = groupFromEvents(groupEventsOf(groupLogs, g));
      const rebuilt = tree.size === 0 ? 0n : tree.root;
      if (rebuilt !== root) problem = `group ${g}: the chain's root ${root} is not the ${rebuilt} its events rebuild`;
    } catch (e) {
      problem = `group ${g}: ${e instanceof Error ? e.message : String(e)}`;
    }
    add("state", `worker group ${g}`, problem, "its root is the one its events rebuild");
  }
  const escrowLogs = await escrowReader({
    client: pc,
    address: d.escrow as Address,
    fromBlock: BigInt(d.deployBlock),
  }).read();
  const created = escrowLogs.filter((l) => l.eventName === "TaskCreated").length;
  const taskCount = await pc.readContract({ address: d.escrow as Address, abi: escrowAbi, functionName: "taskCount" });
  add(
    "state",
    "tasks",
    BigInt(created) === taskCount
      ? undefined
      : `taskCount is ${taskCount}, but ${created} TaskCreated events were found`,
    `${taskCount} task(s), each with its TaskCreated event`,
  );
  const paused = await pc.readContract({ address: d.escrow as Address, abi: escrowAbi, functionName: "paused" });
  out.push({
    area: "state",
    what: "emergency pause",
    ok: true,
    detail: paused ? "PAUSED: new tasks and submissions are halted (withdrawals and refunds work)" : "not paused",
  });
  return out;
}
