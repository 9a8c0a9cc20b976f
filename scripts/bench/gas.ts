/**
 * Gas per batch and per label against the batch size N (issue 18), with real proofs on the real
 * ZkLabelEscrow in Hardhat's in-process chain (deployed by scripts/lib/deploy.ts, as the contract
 * tests do). For each classification worker variant (keyed with the development setup,
 * scripts/bench/variants.ts) the bench generates its Solidity verifier and batch verifier
 * (scripts/circuits/verifiers.ts), compiles them with the solc package of devDependencies (the same
 * compiler and settings as hardhat.config.ts gives contracts/verifiers, without touching the project's
 * sources or artifacts), deploys them, makes them rule 1's entry (announce, wait the rule change delay,
 * apply), posts tasks and submits proofs:
 *   submitFirst      submitBatch of batch 0 (the task's first: cold bitmap word and recipient credit)
 *   submit           submitBatch of batch 1 (the same recipient: the steady state of one worker)
 *   submitBatches4   one submitBatches of batches 2..5, each to a fresh payee (the relayer's default)
 *   submitBatches4OneRecipient  one submitBatches of batches 6..9, all to the worker (cheapest, linked)
 *   withdrawWithSignature  one such payee's gasless withdrawal, relayed
 *   withdraw         the worker's withdrawal of batches 0 and 1
 *   submitBatchesPending2, finalize2  a task with gold items: two batches pend in one call, one finalize
 * The baseline (scripts/bench/baseline.ts: one label per proof) goes through the same steps. The
 * registry refuses batchSize 1 (contracts/RuleRegistry.sol, `batchSize < 2`), so the baseline's entry
 * is registered with batchSize 2 and its batchSize field then set to 1 in the escrow's storage
 * (hardhat_setStorageAt): every call measured runs the unchanged escrow bytecode on an entry the
 * guard would have let through if it allowed 1.
 *
 * Usage: node scripts/bench/gas.ts [--quick] [--out FILE]   (--quick: N = 16 and the baseline)
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { recipientWord } from "@zklabel/core/batch";
import { DEMO_REQUESTER_KEY } from "@zklabel/core/demo";
import { type BatchProof, proveCircuit, releaseSnarkjs } from "@zklabel/core/prove";
import { type CircuitInfo, deployedCircuit } from "@zklabel/core/registry";
import { classificationRuleParams } from "@zklabel/core/rules/classification";
import { signWithdrawal } from "@zklabel/sdk/withdraw";
import { network } from "hardhat";
import { type Abi, type Address, encodeAbiParameters, type Hex, keccak256, parseEther, toHex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { batchVerifier, DEV_KEYS, solidityVerifier, type VerificationKey } from "../circuits/verifiers.ts";
import { deployZkLabel, RULE_CHANGE_DELAY } from "../lib/deploy.ts";
import { ROOT } from "../lib/process.ts";
import { BASELINE, baselineInfo } from "./baseline.ts";
import { batchInput, benchWorker, exampleDataset, exampleRoot, singleItemInput } from "./inputs.ts";
import { SWEEP_N, workerVariant } from "./sweep.ts";
import { benchCli, type KeyedVariant, keyVariant, printTable, type VariantSpec } from "./variants.ts";

const require = createRequire(import.meta.url);
const BY = "scripts/bench/gas.ts";
const REWARD = parseEther("0.001");
const GOLD_ROOT = 4242n;
const WINDOW = 600;

export interface GasRow {
  circuit: string;
  /** Labels per proof (the baseline: 1). */
  N: number;
  constraints: number;
  gas: {
    submitFirst: number;
    submit: number;
    submitBatches4: number;
    submitBatches4OneRecipient: number;
    withdrawWithSignature: number;
    withdraw: number;
    submitBatchesPending2: number;
    finalize2: number;
  };
  perLabel: {
    /** submitBatch (steady state, one recipient) / N. */
    submit: number;
    /** submitBatches of four to fresh payees, per batch, / N. */
    batched: number;
    /** submitBatches of four to one recipient, per batch, / N: its withdrawal amortized away (the cheapest path, all linked). */
    batchedOneRecipient: number;
    /** The default flow (docs/protocol.md 7.2, scripts/bench.ts): (submitBatches4 / 4 + withdrawWithSignature) / N. */
    default: number;
    /** With gold items: (submitBatchesPending2 / 2 + finalize2 / 2 + withdrawWithSignature) / N. */
    gold: number;
  };
  /** Seconds of the development setup (null: the registry's keys, or cached and not measured in this run). */
  setupSeconds: number | null;
  setupCached: boolean;
  /** Seconds solc took for the two verifiers (0: cached). */
  solcSeconds: number;
}

export interface GasResult {
  rows: GasRow[];
  /**
   * Per label, the baseline's gas over the product's default path at N: `sameFlow`, the baseline in the same
   * default flow (a payee per proof); `baselineCheapest`, the baseline in its cheapest measured flow (four per
   * submitBatches to one recipient, no withdrawal counted): a lower bound of the product's advantage.
   */
  ratios: { N: number; sameFlow: number; baselineCheapest: number }[];
}

interface Solc {
  compile(input: string, opts: { import(path: string): { contents: string } | { error: string } }): string;
}

/** The verifier and batch verifier of a keyed variant, compiled once (cached beside its keys). */
async function verifierContracts(
  v: KeyedVariant,
): Promise<{ verifier: Compiled; batch: Compiled; solcSeconds: number }> {
  const vk = JSON.parse(await readFile(v.vkey, "utf8")) as VerificationKey;
  const sources = {
    [`contracts/verifiers/${v.name}Verifier.sol`]: await solidityVerifier(v.name, v.zkey, DEV_KEYS, BY),
    [`contracts/verifiers/${v.name}BatchVerifier.sol`]: batchVerifier(v.name, vk, DEV_KEYS, BY),
  };
  const solc = require("solc") as Solc & { version(): string };
  const key = createHash("sha256")
    .update(solc.version())
    .update(JSON.stringify(sources))
    .update(await readFile(join(ROOT, "contracts/Groth16BatchVerifier.sol")))
    .digest("hex")
    .slice(0, 16);
  const cache = join(v.keyDir, `verifiers-${key}.json`);
  const cached = await readFile(cache, "utf8").catch(() => undefined);
  if (cached) return { ...JSON.parse(cached), solcSeconds: 0 };
  const t = performance.now();
  // hardhat.config.ts's settings for everything but the escrow: optimizer 10,000 runs, cancun.
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([k, content]) => [k, { content }])),
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const out = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (path) => {
        try {
          return { contents: readFileSync(join(ROOT, path), "utf8") };
        } catch {
          return { error: `not found: ${path}` };
        }
      },
    }),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const pick = (file: string): Compiled => {
    const [c] = Object.values(out.contracts[file]);
    return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  };
  const [vf, bf] = Object.keys(sources);
  const result = { verifier: pick(vf), batch: pick(bf) };
  await writeFile(cache, JSON.stringify(result));
  return { ...result, solcSeconds: Number(((performance.now() - t) / 1000).toFixed(1)) };
}

interface Compiled {
  abi: Abi;
  bytecode: Hex;
}

/** Gas of every path for each classification variant at `sizes` and the baseline, on one in-process chain. */
export async function gasBench(
  opts: { quick?: boolean; sizes?: readonly number[]; baseline?: boolean; log?: (m: string) => void } = {},
): Promise<GasResult> {
  const sizes = opts.quick ? [16] : (opts.sizes ?? SWEEP_N);
  const log = opts.log ?? (() => {});
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const owner = wallets[0];
  const chainId = BigInt(await publicClient.getChainId());
  const d = await deployZkLabel(connection);
  const escrow = await viem.getContractAt("ZkLabelEscrow", d.escrow);
  const groups = await viem.getContractAt("WorkerGroups", d.groups);
  const mined = async (hash: Promise<Hex>) => publicClient.waitForTransactionReceipt({ hash: await hash });
  const bench = benchWorker();
  for (const c of bench.group.leaves) await mined(groups.write.joinOpenGroup([c], { account: owner.account }));
  const deployed = deployedCircuit("classification");
  const ex = exampleDataset(1);
  let taskCount = 0;

  /** The slot of rule 1's entry in the escrow's `_rules` mapping: the one whose low 160 bits are its verifier. */
  async function ruleSlot(verifier: Address): Promise<Hex> {
    for (let s = 0n; s < 64n; s++) {
      const slot = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [1n, s]));
      const word = BigInt((await publicClient.getStorageAt({ address: d.escrow, slot })) ?? "0x0");
      if ((word & ((1n << 160n) - 1n)) === BigInt(verifier)) return slot;
    }
    throw new Error("rule 1's entry was not found in the escrow's storage");
  }

  async function measure(spec: VariantSpec, info: CircuitInfo, k: number): Promise<GasRow> {
    // Accounts of its own for each variant (worker, relayer): no credit of an earlier one makes a write cheaper.
    const [worker, relayer] = [wallets[1 + 2 * k], wallets[2 + 2 * k]];
    if (!relayer) throw new Error("not enough development accounts for one worker and relayer per variant");
    const v = await keyVariant(spec, log);
    const N = info.params.N;
    const single = N === 1;
    const c = await verifierContracts(v);
    const deploy = async (x: Compiled) =>
      (await mined(owner.deployContract({ abi: x.abi, bytecode: x.bytecode, account: owner.account })))
        .contractAddress as Address;
    const verifier = await deploy(c.verifier);
    const entry = {
      verifier,
      batchSize: single ? 2 : N,
      datasetDepth: info.params.DEPTH,
      publicInputCount: v.publicInputs,
      batchVerifier: await deploy(c.batch),
      // Only rejections call it (none here); a task with gold items needs one (the deployed N = 64 one).
      rejectVerifier: d.rules[0].rejectVerifier,
    };
    await mined(escrow.write.setRuleVerifier([1, entry], { account: owner.account }));
    await networkHelpers.time.increase(RULE_CHANGE_DELAY);
    await mined(escrow.write.applyRuleVerifier([1], { account: relayer.account }));
    if (single) {
      const slot = await ruleSlot(verifier);
      const word = BigInt((await publicClient.getStorageAt({ address: d.escrow, slot })) ?? "0x0");
      await networkHelpers.setStorageAt(d.escrow, slot, (word & ~(0xffffn << 160n)) | (1n << 160n));
    }
    const rule = await escrow.read.ruleVerifier([1]);
    if (rule.batchSize !== N || rule.verifier.toLowerCase() !== verifier.toLowerCase())
      throw new Error(`rule 1 is not ${v.name}'s entry`);

    const items = 10 * N;
    const newTask = async (gold: boolean, itemCount: number) => {
      const args = {
        token: zeroAddress,
        ruleId: 1,
        ruleParams: classificationRuleParams(ex.params) as unknown as readonly [bigint, bigint, bigint, bigint],
        datasetRoot: exampleRoot(items),
        itemCount,
        pkR: DEMO_REQUESTER_KEY.pkR,
        pkRDiv8: DEMO_REQUESTER_KEY.pkRDiv8,
        goldRoot: gold ? GOLD_ROOT : 0n,
        minAccuracy: gold ? 80 : 0,
        goldThreshold: 0,
        challengeWindow: gold ? WINDOW : 0,
        workerGroupId: 0n,
        rewardPerItem: REWARD,
        deadline: BigInt(await networkHelpers.time.latest()) + 3600n,
        funding: REWARD * BigInt(itemCount),
        metadataURI: "ipfs://bench",
        metadataHash: `0x${"ab".repeat(32)}` as const,
      };
      await mined(escrow.write.createTask([args, rule], { value: args.funding, account: owner.account }));
      taskCount++;
      return { id: await escrow.read.taskCount(), gold };
    };
    const prove = async (t: { id: bigint; gold: boolean }, b: number, to: Address): Promise<BatchProof> => {
      const common = {
        task: {
          pkR: DEMO_REQUESTER_KEY.pkR,
          goldRoot: t.gold ? GOLD_ROOT : 0n,
          taskId: t.id,
          chainId,
          contract: BigInt(d.escrow),
        },
        worker: bench,
        items,
        recipient: recipientWord(to),
        salt: 1000n + BigInt(b),
      };
      const x = single ? singleItemInput(info, b, common) : batchInput(info, b, common);
      return proveCircuit(x.input as Record<string, string | string[]>, x.publicSignals, {
        wasm: v.files.wasm,
        zkey: v.zkey,
      });
    };
    const submitBatches = (id: bigint, first: number, proofs: BatchProof[]) =>
      mined(
        escrow.write.submitBatches(
          [
            id,
            proofs.map((_, i) => BigInt(first + i)),
            proofs.map((p) => p.proof) as never,
            proofs.flatMap((p) => p.publicSignals),
          ],
          { account: relayer.account },
        ),
      );
    log(`${v.name}: proving 12 batches of ${N} label(s) and submitting them`);
    const a = await newTask(false, items);
    const submitOne = async (b: number) => {
      const p = await prove(a, b, worker.account.address);
      return (
        await mined(escrow.write.submitBatch([a.id, BigInt(b), p.proof, p.publicSignals], { account: relayer.account }))
      ).gasUsed;
    };
    const submitFirst = await submitOne(0);
    const submit = await submitOne(1);
    const payees = [2, 3, 4, 5].map((b) => privateKeyToAccount(keccak256(toHex(`bench payee ${taskCount} ${b}`))));
    const proofs: BatchProof[] = [];
    for (const [i, p] of payees.entries()) proofs.push(await prove(a, 2 + i, p.address));
    const submitBatches4 = (await submitBatches(a.id, 2, proofs)).gasUsed;
    const linked: BatchProof[] = [];
    for (const b of [6, 7, 8, 9]) linked.push(await prove(a, b, worker.account.address));
    const submitBatches4OneRecipient = (await submitBatches(a.id, 6, linked)).gasUsed;
    const signed = await signWithdrawal({
      publicClient,
      escrow: d.escrow,
      account: payees[0],
      // To the worker's own (existing) address, as the gas snapshot's withdrawWithSignature; a 10 % relayer fee.
      to: worker.account.address,
      amount: REWARD * BigInt(N),
      fee: (REWARD * BigInt(N)) / 10n,
      deadline: BigInt(await networkHelpers.time.latest()) + 3600n,
    });
    const withdrawWithSignature = (
      await mined(escrow.write.withdrawWithSignature([signed.message, signed.signature], { account: relayer.account }))
    ).gasUsed;
    const withdraw = (
      await mined(escrow.write.withdraw([zeroAddress, worker.account.address], { account: worker.account }))
    ).gasUsed;
    const g = await newTask(true, 2 * N);
    const pending = [await prove(g, 0, worker.account.address), await prove(g, 1, worker.account.address)];
    const submitBatchesPending2 = (await submitBatches(g.id, 0, pending)).gasUsed;
    await networkHelpers.time.increase(WINDOW);
    const finalize2 = (await mined(escrow.write.finalize([g.id, [0n, 1n]], { account: relayer.account }))).gasUsed;
    if (!(await escrow.read.isBatchAccepted([g.id, 1n])) || !(await escrow.read.isBatchAccepted([a.id, 9n])))
      throw new Error(`${v.name}: a submitted batch is not verified`);
    const gas = {
      submitFirst: Number(submitFirst),
      submit: Number(submit),
      submitBatches4: Number(submitBatches4),
      submitBatches4OneRecipient: Number(submitBatches4OneRecipient),
      withdrawWithSignature: Number(withdrawWithSignature),
      withdraw: Number(withdraw),
      submitBatchesPending2: Number(submitBatchesPending2),
      finalize2: Number(finalize2),
    };
    const per = (x: number) => Math.round(x / N);
    return {
      circuit: v.name,
      N,
      constraints: v.constraints,
      gas,
      perLabel: {
        submit: per(gas.submit),
        batched: per(gas.submitBatches4 / 4),
        batchedOneRecipient: per(gas.submitBatches4OneRecipient / 4),
        default: per(gas.submitBatches4 / 4 + gas.withdrawWithSignature),
        gold: per(gas.submitBatchesPending2 / 2 + gas.finalize2 / 2 + gas.withdrawWithSignature),
      },
      setupSeconds: v.setupSeconds,
      setupCached: v.cached,
      solcSeconds: c.solcSeconds,
    };
  }

  const rows: GasRow[] = [];
  for (const n of sizes) {
    const spec = workerVariant("classification", n);
    const info: CircuitInfo = { ...deployed, name: spec.name, params: { ...deployed.params, N: n } };
    rows.push(await measure(spec, info, rows.length));
  }
  if (opts.baseline !== false) rows.push(await measure(BASELINE, baselineInfo, rows.length));
  await releaseSnarkjs();
  await connection.close();
  const base = rows.find((r) => r.N === 1);
  return {
    rows,
    ratios: base
      ? rows
          .filter((r) => r.N > 1)
          .map((r) => ({
            N: r.N,
            sameFlow: Number((base.perLabel.default / r.perLabel.default).toFixed(1)),
            baselineCheapest: Number((base.perLabel.batchedOneRecipient / r.perLabel.default).toFixed(1)),
          }))
      : [],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = benchCli("gas");
  const r = await gasBench({ quick: cli.quick, log: cli.log });
  console.log("\ngas per call");
  printTable(r.rows.map((x) => ({ circuit: x.circuit, N: x.N, ...x.gas })));
  console.log("\ngas per label");
  printTable(
    r.rows.map((x) => ({
      circuit: x.circuit,
      N: x.N,
      ...x.perLabel,
      setupSeconds: x.setupSeconds,
      solcSeconds: x.solcSeconds,
    })),
  );
  console.log(
    "\nbaseline gas per label / product default-path gas per label (sameFlow: the baseline in the default flow too; baselineCheapest: four per call to one recipient, no withdrawal):",
  );
  printTable(r.ratios);
  await cli.save({ ...r });
}
