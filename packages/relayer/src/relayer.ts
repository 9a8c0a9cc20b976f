import { SNARK_SCALAR_FIELD } from "@zklabel/core/field";
import type { ProofWords } from "@zklabel/core/proof";
import { wordsToProof } from "@zklabel/core/proof";
import { Refusal } from "@zklabel/http/service";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { describeError } from "@zklabel/sdk/errors";
import {
  minimumWithdrawalFee,
  type ProofSubmission,
  type RelayerInfo,
  type Ticket,
  type WithdrawalRequest,
} from "@zklabel/sdk/relayer";
import * as snarkjs from "snarkjs";
import {
  type Account,
  type Address,
  type Chain,
  decodeEventLog,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { createChecks, type KnownVerifier } from "./checks.ts";
import type { RelayerStore, StoredTicket } from "./store.ts";

export type { KnownVerifier } from "./checks.ts";

export interface RelayerOptions {
  store: RelayerStore;
  publicClient: PublicClient;
  wallet: WalletClient<Transport, Chain | undefined, Account>;
  escrow: Address;
  groups: Address;
  chainId: number;
  verifiers: KnownVerifier[];
  /** Lowest fee taken, basis points of a batch's reward. */
  minFeeBps: number;
  /** Proofs per submitBatches. */
  maxBatch: number;
  /** Longest a proof waits for others before it is sent alone (or with fewer), ms. */
  maxWaitMs: number;
  /** Warn below this balance, wei. */
  lowBalanceWei: bigint;
  /** Whether POST /v1/joins adds members to the open group at the relayer's cost. */
  sponsorJoins: boolean;
  /** A transient failure is retried this many times before its tickets are refused. */
  maxAttempts?: number;
  /** Whether it finalizes the pending batches it submitted once their window ends (default true; anyone may). */
  finalize?: boolean;
  /** A recorded transaction without a receipt is broadcast again after this long, ms. */
  rebroadcastMs?: number;
  log?: (line: string) => void;
}

/** The public view of a stored ticket. */
export function publicTicket(t: StoredTicket): Ticket {
  const { proof: _p, publicInputs: _i, attempts: _a, ...view } = t;
  return view;
}

/** The ticket id: the same proof for the same batch on the same escrow is one ticket. */
export function ticketId(chainId: number, escrow: Address, s: ProofSubmission): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "address" },
        { type: "uint256" },
        { type: "uint256" },
        { type: "uint256[8]" },
        { type: "uint256[]" },
      ],
      [
        BigInt(chainId),
        escrow,
        BigInt(s.taskId),
        BigInt(s.batchIndex),
        s.proof.map(BigInt) as unknown as ProofWords,
        s.publicInputs.map(BigInt),
      ],
    ),
  );
}

export function createRelayer(opts: RelayerOptions) {
  const { store, publicClient: pc, wallet, escrow } = opts;
  const log = opts.log ?? (() => {});
  const maxAttempts = opts.maxAttempts ?? 5;
  const account = wallet.account;
  let balance = 0n;
  let balanceCheckedAt = 0;
  let stopped = false;
  let working: Promise<void> | null = null;
  const { problem, simulateOne, knownVerifier, readTask, now, escrowPaused } = createChecks({
    publicClient: pc,
    account,
    escrow,
    groups: opts.groups,
    verifiers: opts.verifiers,
    minFeeBps: opts.minFeeBps,
  });

  async function refreshBalance(force = false): Promise<bigint> {
    if (!force && Date.now() - balanceCheckedAt < 15_000) return balance;
    balance = await pc.getBalance({ address: account.address });
    balanceCheckedAt = Date.now();
    if (balance < opts.lowBalanceWei) {
      log(
        `WARNING the relayer's balance is low: ${balance} wei at ${account.address} (warns below ${opts.lowBalanceWei}); fund it or it will stop submitting`,
      );
    }
    return balance;
  }

  /** Accepts a proof: checks it, queues it, answers with its ticket (the same ticket for the same proof). */
  async function accept(s: ProofSubmission): Promise<Ticket> {
    const id = ticketId(opts.chainId, escrow, s);
    const existing = store.ticket(id);
    if (existing) return publicTicket(existing);
    const taskId = BigInt(s.taskId);
    const inputs = s.publicInputs.map(BigInt);
    const live = store.liveTicketOf(s.taskId, s.batchIndex);
    if (live) {
      throw new Refusal(
        409,
        "batch_taken",
        `another proof for batch ${s.batchIndex} of task ${taskId} is already queued here: label an open batch`,
      );
    }
    const p = await problem(taskId, s.batchIndex, inputs);
    if (p) throw new Refusal(p.status, p.code, p.message);
    const task = await readTask(taskId);
    const known = knownVerifier(task) as KnownVerifier;
    const ok = await snarkjs.groth16.verify(
      known.vkey as never,
      s.publicInputs,
      wordsToProof(s.proof.map(BigInt) as unknown as ProofWords) as never,
    );
    if (!ok)
      throw new Refusal(
        400,
        "bad_proof",
        `the proof does not verify against task ${taskId}'s circuit (${known.circuit.name})`,
      );
    const t: StoredTicket = {
      id,
      taskId: s.taskId,
      batchIndex: s.batchIndex,
      status: "queued",
      createdAt: Date.now(),
      updatedAt: Date.now(),
      proof: s.proof,
      publicInputs: s.publicInputs,
      attempts: 0,
    };
    const sim = await simulateOne(t);
    if (sim) throw new Refusal(409, sim.code, sim.reason);
    store.insert(t);
    log(`queued ticket ${id.slice(0, 10)}… for batch ${s.batchIndex} of task ${taskId}`);
    return publicTicket(t);
  }

  /** Signs, records, then broadcasts a transaction: a crash between the steps loses nothing and sends nothing twice. */
  async function send(data: Hex, ticketIds: string[]): Promise<Hex> {
    const request = await wallet.prepareTransactionRequest({ account, to: escrow, data, chain: wallet.chain });
    const raw = await wallet.signTransaction(request as never);
    const hash = keccak256(raw);
    store.recordTx({ hash, raw, nonce: Number(request.nonce), ticketIds, sentAt: Date.now() });
    try {
      await pc.sendRawTransaction({ serializedTransaction: raw });
    } catch (e) {
      // Recorded: the next round looks for its receipt and broadcasts it again if the chain has none.
      log(`broadcast of ${hash} failed (${describeError(e).message}); it will be retried`);
    }
    return hash;
  }

  /** Applies a mined transaction's events to its tickets. */
  function applyReceipt(receipt: TransactionReceipt, ticketIds: string[]) {
    const tickets = ticketIds.map((id) => store.ticket(id)).filter((t): t is StoredTicket => t !== null);
    if (receipt.status !== "success") {
      for (const t of tickets) {
        const attempts = t.attempts + 1;
        if (attempts >= maxAttempts) {
          store.update(t.id, "refused", {
            attempts,
            code: "reverted",
            reason: `the submission reverted ${attempts} times (last ${receipt.transactionHash}); prove the batch again`,
          });
        } else store.update(t.id, "queued", { attempts, txHash: null });
      }
      log(`transaction ${receipt.transactionHash} reverted; its ${tickets.length} proof(s) are checked again`);
      return;
    }
    const seen = new Map<string, { verified: boolean; skipped: boolean; finalizesAt?: number }>();
    for (const l of receipt.logs) {
      if (l.address.toLowerCase() !== escrow.toLowerCase()) continue;
      let ev: ReturnType<typeof decodeEventLog<typeof escrowAbi>>;
      try {
        ev = decodeEventLog({ abi: escrowAbi, data: l.data, topics: l.topics });
      } catch {
        continue;
      }
      const a = ev.args as { taskId?: bigint; batchIndex?: bigint; finalizesAt?: bigint };
      if (a.taskId === undefined || a.batchIndex === undefined) continue;
      const key = `${a.taskId}/${a.batchIndex}`;
      const cur = seen.get(key) ?? { verified: false, skipped: false };
      if (ev.eventName === "BatchSubmitted") cur.finalizesAt = Number(a.finalizesAt);
      if (ev.eventName === "BatchVerified") cur.verified = true;
      if (ev.eventName === "BatchSkipped") cur.skipped = true;
      seen.set(key, cur);
    }
    for (const t of tickets) {
      const s = seen.get(`${t.taskId}/${t.batchIndex}`);
      if (!s || s.skipped) {
        store.update(t.id, "refused", {
          code: "batch_taken",
          reason: `another submission took batch ${t.batchIndex} of task ${t.taskId} first (the escrow skipped this proof in ${receipt.transactionHash})`,
        });
      } else if (s.verified) store.update(t.id, "verified", { txHash: receipt.transactionHash });
      else store.update(t.id, "pending", { txHash: receipt.transactionHash, finalizesAt: s.finalizesAt });
    }
    log(`transaction ${receipt.transactionHash} mined: ${tickets.length} proof(s), gas ${receipt.gasUsed}`);
  }

  /** Follows the recorded transactions: applies receipts, rebroadcasts the ones the chain lacks. */
  async function trackTxs(): Promise<boolean> {
    let open = false;
    for (const tx of store.openTxs()) {
      const receipt = await pc.getTransactionReceipt({ hash: tx.hash as Hex }).catch(() => null);
      if (receipt) {
        applyReceipt(receipt, tx.ticketIds);
        store.dropTx(tx.hash);
        continue;
      }
      const mined = await pc.getTransactionCount({ address: account.address, blockTag: "latest" });
      if (mined > tx.nonce) {
        // Its nonce went to another transaction: this one can never be mined. Check its proofs again.
        for (const id of tx.ticketIds) store.update(id, "queued", { txHash: null });
        store.dropTx(tx.hash);
        log(`transaction ${tx.hash} was replaced; its proofs are queued again`);
        continue;
      }
      open = true;
      if (Date.now() - tx.sentAt >= (opts.rebroadcastMs ?? 5_000)) {
        await pc.sendRawTransaction({ serializedTransaction: tx.raw as Hex }).catch(() => {});
      }
    }
    return open;
  }

  /** Refuses queued tickets that can no longer land; returns those that still can. */
  async function stillGood(tickets: StoredTicket[]): Promise<StoredTicket[]> {
    const good: StoredTicket[] = [];
    for (const t of tickets) {
      const p = await problem(BigInt(t.taskId), t.batchIndex, t.publicInputs.map(BigInt));
      if (p) {
        store.update(t.id, "refused", { code: p.code, reason: p.message });
        log(`ticket ${t.id.slice(0, 10)}… refused before sending: ${p.code}`);
      } else good.push(t);
    }
    return good;
  }

  /** Sends the queued proofs that are due: per task, up to maxBatch, once maxBatch wait or the oldest waited maxWaitMs. */
  async function submitDue(): Promise<void> {
    const byTask = new Map<string, StoredTicket[]>();
    for (const t of store.withStatus("queued")) byTask.set(t.taskId, [...(byTask.get(t.taskId) ?? []), t]);
    // Paused: queued proofs wait (they stay valid) instead of being refused one by one.
    if (byTask.size > 0 && (await escrowPaused())) return;
    for (const [taskId, queued] of byTask) {
      const due = queued.length >= opts.maxBatch || Date.now() - queued[0].createdAt >= opts.maxWaitMs;
      if (!due) continue;
      const group = await stillGood(queued.slice(0, opts.maxBatch));
      if (group.length === 0) continue;
      const task = await readTask(BigInt(taskId));
      let data: Hex;
      let kept = group;
      if (group.length > 1 && task.rule.batchVerifier !== "0x0000000000000000000000000000000000000000") {
        const args = [
          BigInt(taskId),
          group.map((t) => BigInt(t.batchIndex)),
          group.map((t) => t.proof.map(BigInt) as unknown as ProofWords),
          group.flatMap((t) => t.publicInputs.map(BigInt)),
        ] as const;
        try {
          await pc.simulateContract({ account, address: escrow, abi: escrowAbi, functionName: "submitBatches", args });
        } catch {
          // One proof spoils the lot: find it alone, refuse it, and send the others.
          kept = [];
          for (const t of group) {
            const why = await simulateOne(t);
            if (why) store.update(t.id, "refused", why);
            else kept.push(t);
          }
          if (kept.length === 0) continue;
        }
        data =
          kept.length === 1
            ? encodeFunctionData({
                abi: escrowAbi,
                functionName: "submitBatch",
                args: [
                  BigInt(taskId),
                  BigInt(kept[0].batchIndex),
                  kept[0].proof.map(BigInt) as unknown as ProofWords,
                  kept[0].publicInputs.map(BigInt),
                ],
              })
            : encodeFunctionData({
                abi: escrowAbi,
                functionName: "submitBatches",
                args: [
                  BigInt(taskId),
                  kept.map((t) => BigInt(t.batchIndex)),
                  kept.map((t) => t.proof.map(BigInt) as unknown as ProofWords),
                  kept.flatMap((t) => t.publicInputs.map(BigInt)),
                ],
              });
      } else {
        const t = group[0];
        kept = [t];
        const why = await simulateOne(t);
        if (why) {
          store.update(t.id, "refused", why);
          continue;
        }
        data = encodeFunctionData({
          abi: escrowAbi,
          functionName: "submitBatch",
          args: [
            BigInt(taskId),
            BigInt(t.batchIndex),
            t.proof.map(BigInt) as unknown as ProofWords,
            t.publicInputs.map(BigInt),
          ],
        });
      }
      if ((await refreshBalance(true)) === 0n) {
        log(`cannot submit ${kept.length} proof(s) of task ${taskId}: the relayer's balance is 0; they stay queued`);
        continue;
      }
      const hash = await send(
        data,
        kept.map((t) => t.id),
      );
      log(`sent ${kept.length} proof(s) of task ${taskId} in ${hash}`);
      // One transaction at a time: the next round waits for its receipt.
      return;
    }
  }

  /** Finalizes the pending batches this relayer submitted whose window has ended (its fee is paid then). */
  async function finalizeDue(): Promise<void> {
    const pending = store.withStatus("pending");
    if (pending.length === 0) return;
    const t = await now();
    const byTask = new Map<string, StoredTicket[]>();
    for (const p of pending)
      if ((p.finalizesAt ?? Infinity) <= t) byTask.set(p.taskId, [...(byTask.get(p.taskId) ?? []), p]);
    for (const [taskId, due] of byTask) {
      const still: StoredTicket[] = [];
      for (const p of due) {
        const [state] = await pc.readContract({
          address: escrow,
          abi: escrowAbi,
          functionName: "batchState",
          args: [BigInt(taskId), BigInt(p.batchIndex)],
        });
        if (state === 2) store.update(p.id, "verified");
        else if (state === 0)
          store.update(p.id, "rejected", {
            reason:
              "the requester rejected the batch with a proof that its accuracy on hidden gold items was below the task's minimum",
          });
        else still.push(p);
      }
      if (still.length === 0 || opts.finalize === false) continue;
      try {
        const { request } = await pc.simulateContract({
          account,
          address: escrow,
          abi: escrowAbi,
          functionName: "finalize",
          args: [BigInt(taskId), still.map((p) => BigInt(p.batchIndex))],
        });
        const hash = await wallet.writeContract(request as never);
        const receipt = await pc.waitForTransactionReceipt({ hash });
        if (receipt.status === "success") for (const p of still) store.update(p.id, "verified");
        log(`finalized ${still.length} batch(es) of task ${taskId} in ${hash}`);
      } catch (e) {
        log(`finalize of task ${taskId} failed: ${describeError(e).message}`);
      }
    }
  }

  /** One round of work; rounds never overlap. */
  async function round(): Promise<void> {
    if (working) return working;
    working = (async () => {
      try {
        const open = await trackTxs();
        if (!open) await submitDue();
        await finalizeDue();
      } catch (e) {
        log(`round failed (it is retried): ${describeError(e).message}`);
      } finally {
        working = null;
      }
    })();
    return working;
  }

  /** Sponsored join of the open group: the relayer pays the gas, so the worker's address never shows. */
  async function join(identityCommitment: bigint): Promise<{ txHash: Hex; groupSize: number }> {
    if (!opts.sponsorJoins)
      throw new Refusal(
        403,
        "joins_off",
        "this relayer does not sponsor joins: join the open group from your own account",
      );
    if (identityCommitment === 0n || identityCommitment >= SNARK_SCALAR_FIELD) {
      throw new Refusal(400, "bad_request", "the identity commitment must be a non-zero field element");
    }
    try {
      const { request } = await pc.simulateContract({
        account,
        address: opts.groups,
        abi: groupsAbi,
        functionName: "joinOpenGroup",
        args: [identityCommitment],
      });
      // Joins share the relayer's nonce with submissions: one round's transactions at a time.
      await (working ?? Promise.resolve());
      const hash = await wallet.writeContract(request as never);
      const receipt = await pc.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Refusal(502, "reverted", `the join transaction ${hash} reverted`);
      const size = await pc.readContract({
        address: opts.groups,
        abi: groupsAbi,
        functionName: "groupSize",
        args: [0n],
      });
      log(`sponsored a join of the open group in ${hash}`);
      return { txHash: hash, groupSize: Number(size) };
    } catch (e) {
      if (e instanceof Refusal) throw e;
      const d = describeError(e);
      throw new Refusal(
        d.code === "contract_reverted" ? 409 : 502,
        d.errorName ?? "chain",
        `the join was not made: ${d.message}`,
      );
    }
  }

  /**
   * A gasless withdrawal (escrow withdrawWithSignature): the credited account signed it for this
   * relayer (or for any), with a fee of at least minFeeBps of the amount; it is simulated, then sent.
   */
  async function withdraw(w: WithdrawalRequest): Promise<{ txHash: Hex; paid: string; fee: string }> {
    const m = {
      token: w.message.token as Address,
      account: w.message.account as Address,
      to: w.message.to as Address,
      amount: BigInt(w.message.amount),
      fee: BigInt(w.message.fee),
      relayer: w.message.relayer as Address,
      nonce: BigInt(w.message.nonce),
      deadline: BigInt(w.message.deadline),
    };
    if (
      m.relayer !== "0x0000000000000000000000000000000000000000" &&
      m.relayer.toLowerCase() !== account.address.toLowerCase()
    ) {
      throw new Refusal(
        403,
        "wrong_relayer",
        `the withdrawal is signed for relayer ${m.relayer}, not this one (${account.address})`,
      );
    }
    const minimum = minimumWithdrawalFee(opts.minFeeBps, m.amount);
    if (m.fee < minimum) {
      throw new Refusal(
        402,
        "fee_too_low",
        `the withdrawal pays this relayer ${m.fee} wei; its minimum is ${opts.minFeeBps} basis points of the amount (${minimum} wei here): sign it again with a fee of at least ${minimum}`,
      );
    }
    try {
      const { request } = await pc.simulateContract({
        account,
        address: escrow,
        abi: escrowAbi,
        functionName: "withdrawWithSignature",
        args: [m, w.signature as Hex],
      });
      // Withdrawals share the relayer's nonce with submissions: one round's transactions at a time.
      await (working ?? Promise.resolve());
      const hash = await wallet.writeContract(request as never);
      const receipt = await pc.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success")
        throw new Refusal(502, "reverted", `the withdrawal transaction ${hash} reverted`);
      log(`relayed a withdrawal in ${hash}`);
      return { txHash: hash, paid: (m.amount - m.fee).toString(), fee: m.fee.toString() };
    } catch (e) {
      if (e instanceof Refusal) throw e;
      const d = describeError(e);
      throw new Refusal(
        d.code === "contract_reverted" ? 409 : 502,
        d.errorName ?? "chain",
        `the withdrawal was not made: ${d.message}`,
      );
    }
  }

  async function info(): Promise<RelayerInfo> {
    const b = await refreshBalance();
    return {
      chainId: opts.chainId,
      escrow,
      address: account.address,
      minFeeBps: opts.minFeeBps,
      maxBatch: opts.maxBatch,
      maxWaitMs: opts.maxWaitMs,
      balance: b.toString(),
      lowBalance: b < opts.lowBalanceWei,
      sponsorsJoins: opts.sponsorJoins,
      queued: store.count("queued"),
    };
  }

  function ticket(id: string): Ticket {
    const t = store.ticket(id);
    if (!t) throw new Refusal(404, "no_ticket", `this relayer has no ticket ${id}`);
    return publicTicket(t);
  }

  /** Runs rounds every `intervalMs` until stopped. */
  function start(intervalMs = 500): void {
    const loop = async () => {
      while (!stopped) {
        await round();
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    };
    void refreshBalance(true).catch(() => {});
    void loop();
  }

  async function stop(): Promise<void> {
    stopped = true;
    await (working ?? Promise.resolve());
  }

  return { accept, ticket, info, join, withdraw, round, start, stop };
}

export type Relayer = ReturnType<typeof createRelayer>;
