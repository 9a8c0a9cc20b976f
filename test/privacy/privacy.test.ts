/**
 * The privacy table of docs/protocol.md §8, checked. On a real Hardhat node with a real vault and
 * a real relayer, for every rule: the requester posts a task, a worker with a fresh identity and
 * no funded address joins through the relayer, downloads, proves and submits through it (the
 * default flow of `zklabel work`), the requester decrypts and an auditor re-verifies. Then
 * everything an outsider or an operator can read is scanned:
 *
 * - every block and transaction, every log, and every storage slot a transaction touched;
 * - the vault's log and its database (its blob files hold the items: that is what a vault is for);
 * - the relayer's log and its SQLite queue;
 * - the app's public files.
 *
 * It fails on any item's content (outside the vault's blobs), a packed plaintext label word or a
 * label salt (from the requester's decryption), an identity secret or exported key, a payee's
 * private key, or the requester's key. And it fails when a worker's join or batch names an
 * address of the worker's: joins and submissions must come from the relayer, and every batch
 * pays a payee no other batch pays and that never sent a transaction.
 *
 * The worker then withdraws its payees' credit to a fresh address without gas, through the relayer.
 * Not covered here: the app's server logs (the browser end-to-end test drives the app).
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { decryptFromWorker } from "@zklabel/core/encryption";
import { parseIdentityKey, requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { payeeKey } from "@zklabel/core/payee";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { createWalletClient, decodeEventLog, type Hex, http } from "viem";
import { ROOT } from "../../scripts/lib/process.ts";
import { rpcCall, startMarket, zklabel } from "../helpers/chain.ts";
import { pngHeader } from "../helpers/images.ts";

let dir: string;
let market: Awaited<ReturnType<typeof startMarket>>;
let common: string[];
let deployment: Awaited<ReturnType<typeof startMarket>>["deployment"];
const chain = {
  get rpc() {
    return market.chain.rpc;
  },
};
const vault = {
  get url() {
    return market.vault.url;
  },
  log: () => market.vault.log(),
};
const relayer = {
  get url() {
    return market.relayer.url;
  },
  log: () => market.relayer.log(),
};

before(
  async () => {
    dir = await mkdtemp(join(tmpdir(), "zklabel-privacy-"));
    // One sponsored join per rule case, all from this machine's address.
    market = await startMarket(dir, ["--max-wait", "1", "--joins-per-hour", "10"]);
    deployment = market.deployment;
    common = ["--deployment", market.chain.deploymentFile];
  },
  { timeout: 180_000 },
);
after(async () => {
  await market?.stop();
  await rm(dir, { recursive: true, force: true });
});

const ok = (r: { code: number; stdout: string; stderr: string }, what: string) => {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr}\n${r.stdout}`);
  return r;
};

/** `zklabel work` without any account: the default flow. */
const work = (args: string[]) => zklabel(["work", ...args, "--json", ...common]);

/** What must never leak, by what it is. */
const secrets: { what: string; bytes: Buffer[] }[] = [];
/** Item contents: must not appear outside the vault's blob store. */
const contents: { what: string; bytes: Buffer[] }[] = [];
const taskIds: string[] = [];
const commitments: bigint[] = [];
/** The fresh addresses the workers withdrew to. */
const withdrawnTo: string[] = [];

/** A field element in the forms it could be written: 32-byte hex, decimal. */
function fieldForms(x: bigint): Buffer[] {
  return [
    Buffer.from(x.toString(16).padStart(64, "0"), "hex"),
    Buffer.from(x.toString(16).padStart(64, "0")),
    Buffer.from(x.toString()),
  ];
}

interface RuleCase {
  rule: string;
  files(dir: string): Promise<string[]>;
  spec: Record<string, unknown>;
  labeler: string;
}

const CASES: RuleCase[] = [
  {
    rule: "classification",
    async files(d) {
      const names: string[] = [];
      for (const [i, x] of demoItems(20).entries()) {
        const name = `review-${i}.txt`;
        await writeFile(join(d, name), `${x.text} (privacy scan item ${i})`);
        names.push(name);
      }
      return names;
    },
    spec: { rule: { type: "classification", classes: ["negative", "neutral", "positive"] } },
    labeler: join(ROOT, "packages/cli/examples/sentiment-agent.mjs"),
  },
  {
    rule: "bbox",
    async files(d) {
      const names: string[] = [];
      for (let i = 0; i < 5; i++) {
        const name = `img-${i}.png`;
        await writeFile(join(d, name), pngHeader(64 + 8 * i, 48 + 4 * i, 100 + i));
        names.push(name);
      }
      return names;
    },
    spec: { rule: { type: "bbox", classes: ["car", "person"], minWidth: 4, minHeight: 4 } },
    labeler: join(ROOT, "test/privacy/labeler-box.mjs"),
  },
  {
    rule: "sensor",
    async files(d) {
      const names: string[] = [];
      for (let i = 0; i < 6; i++) {
        const name = `w${i}.csv`;
        const w = Array.from({ length: 16 }, (_, j) => (i === 2 && j === 5 ? 90 : 5000 + ((i * 131 + j * 71) % 20000)));
        await writeFile(join(d, name), `${w.join(",")}\n`);
        names.push(name);
      }
      return names;
    },
    spec: { rule: { type: "sensor", lo: 1000, hi: 40000 } },
    labeler: join(ROOT, "test/agents/labeler-sensor.mjs"),
  },
  // The two rules made with the rule authoring kit: the kit's envelope keeps the same promises.
  {
    rule: "polygon",
    async files(d) {
      const names: string[] = [];
      for (let i = 0; i < 4; i++) {
        const name = `pic-${i}.png`;
        await writeFile(join(d, name), pngHeader(72 + 8 * i, 56 + 4 * i, 200 + i));
        names.push(name);
      }
      return names;
    },
    spec: { rule: { type: "polygon", classes: ["car", "person"], minArea: 100 } },
    labeler: join(ROOT, "test/agents/labeler-polygon.mjs"),
  },
  {
    rule: "spans",
    async files(d) {
      const names: string[] = [];
      for (let i = 0; i < 5; i++) {
        const name = `note-${i}.txt`;
        await writeFile(join(d, name), `Yesterday Marie Curie sent letter ${i} (privacy scan).`);
        names.push(name);
      }
      return names;
    },
    spec: { rule: { type: "spans", minLength: 3 } },
    labeler: join(ROOT, "test/agents/labeler-spans.mjs"),
  },
];

describe("privacy by default: the full flow for every rule, then a scan of everything outsiders and operators see", {
  timeout: 900_000,
}, () => {
  for (const c of CASES) {
    it(`${c.rule}: post, join and submit through the relayer with no funded address, decrypt, audit`, async () => {
      const items = join(dir, `${c.rule}-items`);
      await mkdir(items);
      const names = await c.files(items);
      for (const n of names) {
        const bytes = await readFile(join(items, n));
        // Long enough to be unique: the whole item, its hex and base64 forms.
        contents.push({
          what: `${c.rule} item ${n}`,
          bytes: [bytes, Buffer.from(bytes.toString("hex")), Buffer.from(bytes.toString("base64"))],
        });
      }
      const manifest = join(dir, `${c.rule}-manifest.json`);
      ok(await zklabel(["dataset", "build", "--from", items, "--rule", c.rule, "--out", manifest]), "build");
      ok(await zklabel(["dataset", "upload", "--manifest", manifest, "--from", items, "--vault", vault.url]), "upload");
      const specFile = join(dir, `${c.rule}-spec.json`);
      await writeFile(
        specFile,
        JSON.stringify({
          title: `${c.rule} privacy`,
          instructions: "i",
          reward: { perItem: "0.001" },
          deadline: "7d",
          ...c.spec,
        }),
      );
      const created = JSON.parse(
        ok(
          await zklabel([
            "task",
            "create",
            "--spec",
            specFile,
            "--manifest",
            manifest,
            "--vault",
            vault.url,
            "--account",
            "0",
            "--json",
            ...common,
          ]),
          "task create",
        ).stdout,
      );
      taskIds.push(created.taskId);
      // The requester's key: derived from its wallet's signature, as the CLI does.
      const [acct0] = (await rpcCall(chain.rpc, "eth_accounts")) as Hex[];
      const wallet = createWalletClient({ account: acct0, transport: http(chain.rpc) });
      const sig = await wallet.signMessage({
        message: requesterKeyMessage(BigInt(deployment.chainId), deployment.escrow, BigInt(created.keyNonce)),
      });
      const { skR } = requesterKeyFromSignature(sig);
      secrets.push({ what: `${c.rule} requester key`, bytes: fieldForms(skR) });

      const keyFile = join(dir, `${c.rule}-worker.key`);
      ok(await zklabel(["identity", "new", "--identity-file", keyFile]), "identity new");
      const key = (await readFile(keyFile, "utf8")).trim();
      const identity = parseIdentityKey(key);
      commitments.push(identity.commitment);
      secrets.push({
        what: `${c.rule} worker identity key`,
        bytes: [Buffer.from(key), ...fieldForms(identity.secretScalar)],
      });
      ok(await zklabel(["group", "join", "--identity-file", keyFile, "--json", ...common]), "group join");
      const r = JSON.parse(
        ok(await work(["--task", created.taskId, "--labeler", c.labeler, "--identity-file", keyFile]), "work").stdout,
      );
      assert.ok(r.submitted.length >= 1, JSON.stringify(r));
      for (const s of r.submitted as { batchIndex: number }[]) {
        const k = payeeKey(identity, {
          chainId: BigInt(deployment.chainId),
          escrow: deployment.escrow,
          taskId: BigInt(created.taskId),
          batchIndex: s.batchIndex,
        });
        secrets.push({
          what: `${c.rule} payee key of batch ${s.batchIndex}`,
          bytes: [Buffer.from(k.slice(2)), Buffer.from(k.slice(2), "hex")],
        });
      }
      // The requester decrypts; the plaintext words (packed labels and the salt) are secrets from now on.
      const logs = (await rpcCall(chain.rpc, "eth_getLogs", [
        { address: deployment.escrow, fromBlock: "0x0", toBlock: "latest" },
      ])) as { data: Hex; topics: [Hex] }[];
      for (const l of logs) {
        const ev = decodeEventLog({ abi: escrowAbi, data: l.data, topics: l.topics });
        if (ev.eventName !== "BatchSubmitted" || ev.args?.taskId !== BigInt(created.taskId)) continue;
        const a = ev.args as unknown as {
          batchIndex: bigint;
          epk: readonly [bigint, bigint];
          ciphertext: readonly bigint[];
        };
        // The plaintext length L pads to the ciphertext's length less the tag; the tag fails for any other L.
        const padded = a.ciphertext.length - 1;
        const plain = [padded, padded - 1, padded - 2]
          .map((len) => {
            try {
              return decryptFromWorker({ epk: a.epk, ciphertext: [...a.ciphertext] } as never, skR, a.batchIndex, len);
            } catch {
              return null;
            }
          })
          .find((x) => x !== null);
        assert.ok(plain, `the requester decrypts batch ${a.batchIndex}`);
        for (const [i, w] of plain.entries()) {
          if (w > 1n << 32n)
            secrets.push({ what: `${c.rule} batch ${a.batchIndex} plaintext word ${i}`, bytes: fieldForms(w) });
        }
      }
      const to = `0x${(0xf2e5 + taskIds.length).toString(16).padStart(40, "0")}`;
      const w = JSON.parse(
        ok(
          await zklabel([
            "withdraw",
            "--task",
            created.taskId,
            "--to",
            to,
            "--identity-file",
            keyFile,
            "--json",
            ...common,
          ]),
          "withdraw",
        ).stdout,
      );
      assert.ok(BigInt(w.amount) > 0n, "the worker was paid and withdrew without gas");
      withdrawnTo.push(to.toLowerCase());
      const out = join(dir, `${c.rule}-labels.jsonl`);
      ok(
        await zklabel([
          "labels",
          "export",
          "--task",
          created.taskId,
          "--manifest",
          manifest,
          "--out",
          out,
          "--account",
          "0",
          ...common,
        ]),
        "labels export",
      );
      const report = JSON.parse(
        ok(await zklabel(["audit", "task", created.taskId, "--json", ...common]), "audit").stdout,
      );
      assert.equal(report.ok, true);
    });
  }

  it("nothing secret in the chain, the vault, the relayer or the app's public files; no worker address beside a join or a batch", async () => {
    assert.equal(taskIds.length, CASES.length, "every rule's flow ran");
    const haystacks: { where: string; data: Buffer; itemsAllowed?: boolean }[] = [];
    // The chain: blocks, transactions, receipts' logs, and every storage slot each transaction touched.
    const latest = Number(await rpcCall(chain.rpc, "eth_blockNumber"));
    const txs: { hash: Hex; from: string; to: string | null }[] = [];
    for (let b = 0; b <= latest; b++) {
      const block = (await rpcCall(chain.rpc, "eth_getBlockByNumber", [`0x${b.toString(16)}`, true])) as {
        transactions: { hash: Hex; from: string; to: string | null; input: string }[];
      };
      haystacks.push({ where: `block ${b}`, data: Buffer.from(JSON.stringify(block)) });
      for (const tx of block.transactions) {
        txs.push(tx);
        const receipt = await rpcCall(chain.rpc, "eth_getTransactionReceipt", [tx.hash]);
        haystacks.push({ where: `receipt of ${tx.hash}`, data: Buffer.from(JSON.stringify(receipt)) });
        const trace = (await rpcCall(chain.rpc, "debug_traceTransaction", [
          tx.hash,
          { disableMemory: true, disableStack: true },
        ])) as {
          structLogs?: { storage?: Record<string, string> }[];
        };
        const slots = new Set<string>();
        for (const s of trace?.structLogs ?? [])
          for (const [k, v] of Object.entries(s.storage ?? {})) slots.add(`${k}:${v}`);
        haystacks.push({ where: `storage touched by ${tx.hash}`, data: Buffer.from([...slots].join("\n")) });
      }
    }
    // The operators' views.
    haystacks.push({ where: "vault log", data: Buffer.from(vault.log()) });
    haystacks.push({ where: "relayer log", data: Buffer.from(relayer.log()) });
    async function files(root: string, where: string, itemsAllowed = (_: string) => false) {
      for (const e of await readdir(root, { recursive: true })) {
        const p = join(root, e);
        if (!(await stat(p)).isFile()) continue;
        haystacks.push({ where: `${where}/${e}`, data: await readFile(p), itemsAllowed: itemsAllowed(e) });
      }
    }
    await files(join(dir, "vault"), "vault store", (e) => e.startsWith("blobs"));
    await files(join(dir, "relayer"), "relayer store");
    await files(join(ROOT, "apps/web/public"), "app public files");

    const found: string[] = [];
    for (const h of haystacks) {
      for (const s of secrets) if (s.bytes.some((b) => h.data.includes(b))) found.push(`${s.what} in ${h.where}`);
      if (!h.itemsAllowed)
        for (const c of contents) if (c.bytes.some((b) => h.data.includes(b))) found.push(`${c.what} in ${h.where}`);
    }
    assert.deepEqual(found, [], "secrets or item contents where outsiders or operators can read them");
    assert.ok(
      secrets.filter((s) => /plaintext word/.test(s.what)).length >= CASES.length,
      "the scan had plaintext words to look for",
    );

    // Addresses: joins and submissions come from the relayer; each batch pays its own payee, which never sent anything.
    const relayerAddress = (
      (await (await fetch(`${relayer.url}/v1/info`)).json()) as { address: string }
    ).address.toLowerCase();
    const senders = new Set(txs.map((t) => t.from.toLowerCase()));
    const payees: string[] = [];
    const withdrawals: string[] = [];
    for (const tx of txs) {
      const receipt = (await rpcCall(chain.rpc, "eth_getTransactionReceipt", [tx.hash])) as {
        logs: { address: string; data: Hex; topics: [Hex] }[];
      };
      for (const l of receipt.logs) {
        if (l.address.toLowerCase() === deployment.groups.toLowerCase()) {
          const ev = decodeEventLog({ abi: groupsAbi, data: l.data, topics: l.topics });
          if (
            ev.eventName === "MemberAdded" &&
            commitments.includes((ev.args as { identityCommitment: bigint }).identityCommitment)
          ) {
            assert.equal(
              tx.from.toLowerCase(),
              relayerAddress,
              "a worker's join was sent by an address of the worker's",
            );
          }
        }
        if (l.address.toLowerCase() !== deployment.escrow.toLowerCase()) continue;
        const ev = decodeEventLog({ abi: escrowAbi, data: l.data, topics: l.topics });
        if (ev.eventName === "BatchSubmitted" && taskIds.includes(String(ev.args?.taskId))) {
          const a = ev.args as unknown as { recipient: string; relayer: string };
          assert.equal(tx.from.toLowerCase(), relayerAddress, "a batch was sent by an address of the worker's");
          assert.equal(a.relayer.toLowerCase(), relayerAddress);
          payees.push(a.recipient.toLowerCase());
        }
        if (ev.eventName === "Withdrawal") {
          const a = ev.args as unknown as { account: string; to: string };
          if (!withdrawnTo.includes(a.to.toLowerCase())) continue;
          assert.equal(tx.from.toLowerCase(), relayerAddress, "a withdrawal was sent by an address of the worker's");
          withdrawals.push(a.account.toLowerCase());
        }
      }
    }
    assert.ok(payees.length >= CASES.length);
    // Controls: the scan sees what is public where it should be, so its silence above means something.
    const chainData = Buffer.concat(
      haystacks.filter((h) => !h.where.includes("/") && !h.where.endsWith("log")).map((h) => h.data),
    );
    for (const p of payees) assert.ok(chainData.includes(Buffer.from(p.slice(2))), `payee ${p} is visible on-chain`);
    const blobs = Buffer.concat(haystacks.filter((h) => h.itemsAllowed).map((h) => h.data));
    for (const c of contents) assert.ok(blobs.includes(c.bytes[0]), `${c.what} is in the vault's blobs`);
    assert.ok(
      haystacks.some((h) => h.where.startsWith("storage") && h.data.length > 0),
      "the traces name the storage slots the transactions touched",
    );
    assert.equal(new Set(payees).size, payees.length, "no two batches pay the same payee");
    for (const p of payees) assert.ok(!senders.has(p), `payee ${p} sent a transaction: it was funded`);
    assert.deepEqual(
      [...withdrawals].sort(),
      [...payees].sort(),
      "every payee's credit left through a relayed withdrawal",
    );
    for (const t of withdrawnTo) assert.ok(!senders.has(t), `withdrawal address ${t} sent a transaction`);
  });
});
