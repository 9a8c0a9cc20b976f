"use client";
/**
 * The labeling workspace of one task: the task's rule (its module and its screens), the batch
 * picked, its items and labels (kept by lib/work/persistence), the rule's issues, and the one job
 * at a time (lib/work/job) that downloads a batch or proves and submits it through the SDK client.
 */
import { batchNullifier } from "@zklabel/core/identity";
import { cannotStartBatch, taskPhase } from "@zklabel/core/lifecycle";
import { payeeAddress } from "@zklabel/core/payee";
import type { AnyRule, ItemFacts, RuleIssue } from "@zklabel/core/rules";
import { describeError } from "@zklabel/sdk/errors";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { IdentityPanel } from "@/components/IdentityPanel";
import { useZkLabel } from "@/lib/client";
import { deployedRule, useDeployment } from "@/lib/deployment";
import { errorCode, messageFor } from "@/lib/errors";
import { useWorkerGroup } from "@/lib/group";
import { useWorkerIdentity } from "@/lib/identity";
import { factsOf } from "@/lib/prover-protocol";
import { useRelayer } from "@/lib/relayer";
import { type TaskView, useChainNow } from "@/lib/tasks";
import { useNow } from "@/lib/time";
import { useProverJob } from "@/lib/work/job";
import { useFetchedBatches, useStoredLabels } from "@/lib/work/persistence";
import { BatchPicker, NextBatch } from "./BatchPicker";
import { EarningsPanel, PayeeEarnings } from "./EarningsPanel";
import { screensFor } from "./labelers";
import { ProvePanel } from "./ProvePanel";
import { SubmittedBatch } from "./SubmittedBatch";
import { TaskHeader } from "./TaskHeader";
import "./work.css";

/** The rule's issues with one label of item `item` (its facts), as a list (empty when it keeps the rule). */
function checkOne(rule: AnyRule, label: unknown, facts: ItemFacts, params: unknown, item: number): RuleIssue[] {
  try {
    return rule.checkLabels([label], [facts], params, item);
  } catch (e) {
    return [{ item, code: "unreadable", message: messageFor(e) }];
  }
}

/** Why a rejected identity cannot submit the batch again (the escrow's NullifierSpent, in the SDK's words). */
const REJECTED_AGAIN =
  "This identity's labels for this batch were rejected: the same identity cannot submit the batch again. Take another batch.";

/** Below this many members, the worker is told how small the crowd its batch hides in is. */
const SMALL_GROUP = 10;

export function Workspace({ task, rule }: { task: TaskView; rule: AnyRule }) {
  const d = useDeployment();
  const { withWallet } = useZkLabel();
  const { address, chainId, status } = useConnection();
  const escrow = d.escrow as Address;
  const chainNow = useChainNow();
  const screens = screensFor(rule);
  const params = useMemo(() => rule.decodeParams(task.info.ruleParams), [rule, task.info.ruleParams]);
  const classes = useMemo(() => rule.classNames(params, task.metadata?.rule.classes), [rule, params, task.metadata]);
  const allowed = useMemo(() => rule.allowedClasses(params), [rule, params]);
  const vaultUrl = task.metadata?.vault;
  const place = useMemo(() => ({ chainId: d.chainId, escrow, taskId: task.id }), [d.chainId, escrow, task.id]);

  const id = useWorkerIdentity();
  const group = useWorkerGroup(
    d.groups as Address,
    task.workerGroupId,
    BigInt(d.deployBlock),
    d.chainId,
    id.identity?.commitment,
  );
  const member =
    id.identity && group.group
      ? group.group.indexOf(id.identity.commitment) >= 0
      : id.identity === null
        ? false
        : undefined;

  // Members still in the group (a removed member's leaf is 0): the set a proof hides its maker in.
  const anonymitySet = group.group ? group.group.leaves.filter((l) => l !== 0n).length : undefined;
  // Through the relayer by default: the proof pays a payee derived from the identity, fresh per
  // batch, and the relayer sends it, so no address of the worker's appears beside the batch.
  const relayer = useRelayer(d.relayerUrl, d.chainId, escrow);
  const [direct, setDirect] = useState(false);
  const viaRelayer = relayer.configured && !direct;

  const [batch, setBatch] = useState<number>(() => task.batches.find((b) => b.status === "open")?.index ?? 0);
  const bv = task.batches[batch];
  // This identity's rejected submission of the batch, if any: its nullifier is spent for good.
  const myRejection = useMemo(() => {
    if (!bv || !id.identity || bv.rejections.length === 0) return undefined;
    const mine = batchNullifier(id.identity.secretScalar, task.info.taskHash, BigInt(bv.index));
    return bv.rejections.find((r) => (r.event.args.nullifier as bigint) === mine);
  }, [bv, id.identity, task.info.taskHash]);
  const { fetched, keep } = useFetchedBatches(place, batch);
  const items = fetched[batch]?.items;
  const [current, setCurrent] = useState(0);
  const stored = useStoredLabels(place, rule);
  const labels = useMemo(
    () => Array.from({ length: bv?.count ?? 0 }, (_, i) => stored.labels[batch]?.[i] ?? null),
    [stored.labels, batch, bv?.count],
  );
  const issues = useMemo(
    () =>
      labels.map((l, i) =>
        l === null || !items?.[i] ? [] : checkOne(rule, l, items[i], params, (bv?.first ?? 0) + i),
      ),
    [labels, items, rule, params, bv?.first],
  );
  const violations = issues.filter((x) => x.length > 0).length;
  const unlabeled = labels.filter((l) => l === null).length;

  const job = useProverJob();
  const now = useNow(100, job.busy);
  const onLabel = useCallback(
    (i: number, label: unknown | null) => stored.setLabel(batch, bv?.count ?? 0, i, label),
    [stored.setLabel, batch, bv?.count],
  );

  const selectBatch = (b: number) => {
    if (job.busy) return;
    setBatch(b);
    setCurrent(0);
    job.keepOnlyFor(b);
  };

  const fetchBlocker = !vaultUrl
    ? "This task names no data vault, so its items cannot be downloaded."
    : !id.identity
      ? "Create or import your anonymous identity first (see “Anonymous identity”)."
      : member !== true
        ? "Join the task's worker group first (see “Anonymous identity”)."
        : null;

  const wrongChain = status === "connected" && chainId !== d.chainId;
  const proveBlocker = !items
    ? "Open the batch first."
    : bv?.status !== "open"
      ? "This batch already has an accepted proof."
      : myRejection
        ? REJECTED_AGAIN
        : violations > 0
          ? `Fix the ${violations === 1 ? "label that breaks" : `${violations} labels that break`} the task's rule.`
          : unlabeled > 0
            ? `Label every item first (${unlabeled} left).`
            : viaRelayer
              ? relayer.error
                ? `The relayer cannot be reached or used (${relayer.error}). Tick “Submit from my wallet instead” to submit directly.`
                : !relayer.info
                  ? "Asking the relayer for its fee…"
                  : fetchBlocker
              : !address
                ? "Connect a wallet to submit from it, or use the relayer (no wallet needed)."
                : wrongChain
                  ? `Switch the wallet to chain ${d.chainId}.`
                  : fetchBlocker;

  // What the last Ctrl+Enter could not do: said until the batch, its labels or the run change.
  const [keyNote, setKeyNote] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of any of these answers the note
  useEffect(() => setKeyNote(null), [proveBlocker, batch, job.busy]);

  async function openBatch() {
    if (fetchBlocker || !id.identity || !group.group || !vaultUrl || job.busy) return;
    const b = batch;
    const res = await job.fetchBatch({
      kind: "fetch",
      vaultUrl,
      task: task.info,
      batchIndex: b,
      identityKey: id.identity.export(),
      groupLeaves: [...group.group.leaves],
    });
    if (res) keep(b, res);
  }

  async function proveAndSubmit() {
    const f = fetched[batch];
    if (proveBlocker || !f || !id.identity || !group.group || job.busy) return;
    const b = batch;
    const rc = relayer.client;
    const info = relayer.info;
    const useRelay = viaRelayer && rc !== undefined && info !== undefined;
    if (!useRelay && !address) return;
    const recipient = useRelay
      ? payeeAddress(id.identity, { chainId: BigInt(d.chainId), escrow, taskId: task.id, batchIndex: b })
      : (address as Address);
    await job.proveAndSubmit(
      {
        kind: "prove",
        task: task.info,
        chainId: d.chainId,
        escrow,
        batchIndex: b,
        labels,
        recipient,
        relayerFeeBps: useRelay ? info.minFeeBps : 0,
        identityKey: id.identity.export(),
        groupLeaves: [...group.group.leaves],
        slice: f.slice,
        items: f.items.map(factsOf),
      },
      useRelay ? "relayer" : "wallet",
      async (proof, on) => {
        if (!useRelay) {
          const client = await withWallet();
          await client.submitBatch(task.id, b, proof, { onSent: on.onSent });
          return;
        }
        const ticket = await rc
          .submit({ taskId: task.id, batchIndex: b, proof: proof.proof, publicInputs: proof.publicSignals })
          .catch((e: unknown) => {
            // The relayer checks the proof before queuing it: its refusal (or silence) in words, with the way out.
            const unreachable = errorCode(e) === "relayer_unreachable";
            throw new Error(
              `${unreachable ? "The relayer cannot be reached" : `The relayer refused batch ${b}`}: ${describeError(e).message.replace(/\.$/, "")}. Tick “Submit from my wallet instead” to submit it yourself (your address then appears beside the batch).`,
              { cause: e },
            );
          });
        on.onTicket(ticket);
        const t = ticket.status === "refused" ? ticket : await rc.wait(ticket.id, { onStatus: on.onTicket });
        if (t.status === "refused" || t.status === "rejected")
          throw new Error(
            `The relayer ${t.status === "refused" ? "refused" : "reports the requester rejected"} batch ${b}: ${t.reason ?? "it gave no reason"}.${t.code === "batch_taken" ? " Take another batch." : ""}`,
          );
      },
    );
  }

  // Ctrl+Enter (or Cmd+Enter) proves and submits, or says why it cannot yet.
  const keyRef = useRef(() => {});
  keyRef.current = () => {
    if (job.busy) setKeyNote("Ctrl+Enter: a run is under way; wait for it to end, or cancel it.");
    else if (proveBlocker) setKeyNote(`Ctrl+Enter cannot prove batch ${batch} yet: ${proveBlocker}`);
    else void proveAndSubmit();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        keyRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // A cancelled task still takes batches until it closes (the notice period), but none is started then.
  const taskWindow = { ...task, completed: task.completed !== undefined };
  const phase = taskPhase(taskWindow, Number(chainNow));
  const startBlocked = cannotStartBatch(taskWindow, Number(chainNow));
  const Labeler = screens.Labeler;

  return (
    <>
      {d.insecureDevKeys && (
        <p className="banner" role="note">
          Development deployment: proofs use INSECURE development keys and the contracts run on the local chain only.
        </p>
      )}
      <TaskHeader task={task} screens={screens} params={params} classes={classes} allowed={allowed} />
      {phase === "closing" && (
        <p className="note" role="status" data-testid="task-closing">
          The requester cancelled this task: it closes at {new Date(Number(task.closesAt) * 1000).toLocaleString()}.
          Batches submitted before then are still accepted and paid; no new batch can be opened.
        </p>
      )}
      {phase === "complete" && (
        <p className="note" role="status" data-testid="task-complete-onchain">
          This task is complete: the escrow recorded its {task.verifiedItems} verified items as final. No more batches
          are accepted; what you earned stays yours to withdraw.
        </p>
      )}
      {phase === "closed" && (
        <p className="note" role="status">
          {task.cancelled ? "The requester cancelled this task." : "This task's deadline has passed."} No more batches
          are accepted.
        </p>
      )}
      {phase === "open" && startBlocked && (
        <p className="note" role="status">
          {startBlocked[0].toUpperCase() + startBlocked.slice(1)}.
        </p>
      )}
      {!deployedRule(d, rule) && (
        <p className="error" role="alert">
          This deployment names no verifier for {rule.noun} tasks, so this task&apos;s batches cannot be proven here.
        </p>
      )}
      <div className="workspace">
        <section className="card labeling" aria-labelledby="batch-heading">
          <div className="section-head">
            <h2 id="batch-heading">Label a batch</h2>
            <p className="muted small">
              {screens.keys(classes.length)} <kbd>Ctrl</kbd>+<kbd>Enter</kbd> prove and submit
            </p>
          </div>
          <BatchPicker
            task={task}
            batch={batch}
            busy={job.busy}
            savedOf={(b) => stored.labels[b]?.filter((l) => l !== null).length ?? 0}
            onSelect={selectBatch}
          />
          {myRejection && (
            <div className="note" role="status" data-testid="batch-rejected" data-bound={myRejection.bound}>
              <p>
                <strong>
                  Batch {bv?.index}: rejected: accuracy on hidden checks below {myRejection.bound} %.
                </strong>{" "}
                The requester proved it on-chain with a zero-knowledge proof over gold items whose answers they
                committed to before any work; which items were checked and their answers stay secret. No reward was paid
                for it.
              </p>
              <p className="small">
                {bv?.status === "open"
                  ? "The batch is open to other workers again; this identity cannot submit it again."
                  : "Another worker has since submitted it; this identity cannot submit it again."}
              </p>
            </div>
          )}
          {bv && bv.status !== "open" && (
            <>
              <SubmittedBatch
                task={task}
                bv={bv}
                chainNow={chainNow}
                account={address}
                byRelayer={job.run?.batch === batch && job.run.via === "relayer"}
              />
              <NextBatch task={task} after={batch} busy={job.busy} onSelect={selectBatch} />
            </>
          )}
          {bv?.status === "open" && !items && (
            <div className="open-batch">
              <p>
                Batch {batch} holds items {bv.first + 1}–{bv.first + bv.count}. The vault sends them once you prove,
                anonymously, that you are a member of the worker group: it never learns which member you are.
              </p>
              <button
                type="button"
                className="btn primary"
                data-testid="open-batch"
                disabled={fetchBlocker !== null || job.busy || startBlocked !== undefined}
                onClick={() => void openBatch()}
              >
                Open batch {batch}
              </button>
              {fetchBlocker && (
                <p className="muted small" data-testid="open-blocker">
                  {fetchBlocker}
                </p>
              )}
            </div>
          )}
          {items && bv?.status === "open" && (
            <Labeler
              rule={rule}
              items={items}
              params={params}
              classes={classes}
              allowed={allowed}
              labels={labels}
              issues={issues}
              current={Math.min(current, items.length - 1)}
              readOnly={job.busy}
              onCurrent={setCurrent}
              onLabel={onLabel}
            />
          )}
        </section>

        <aside className="side">
          <IdentityPanel
            id={id}
            groupId={task.workerGroupId}
            account={address}
            member={member}
            groupSize={group.group?.size}
            groupError={group.error}
            relayer={relayer}
            onJoined={group.refetch}
          />
          <ProvePanel
            batch={batch}
            open={items !== undefined}
            labeled={labels.length - unlabeled}
            total={labels.length}
            issues={issues}
            screens={screens}
            issueContext={{ classes, params }}
            blocker={proveBlocker}
            keyNote={keyNote}
            notes={
              <>
                {anonymitySet !== undefined && (
                  <p
                    className={`small ${anonymitySet < SMALL_GROUP ? "note" : "muted"}`}
                    data-testid="anonymity-set"
                    data-size={anonymitySet}
                    role={anonymitySet < SMALL_GROUP ? "note" : undefined}
                  >
                    {anonymitySet === 1
                      ? "Small group: your batch hides among 1 member, you alone: anyone can tell the batch is yours until others join."
                      : anonymitySet < SMALL_GROUP
                        ? `Small group: your batch hides among ${anonymitySet} members. The proof says only that one of them labeled it, but with so few, anyone who knows them can narrow it down.`
                        : `Your batch hides among ${anonymitySet} members: the proof says only that one of them labeled it.`}
                  </p>
                )}
                {relayer.configured && (
                  <div className="submit-route" data-testid="submit-route" data-via={viaRelayer ? "relayer" : "wallet"}>
                    <p className="small">
                      {viaRelayer
                        ? relayer.info
                          ? `Submitted through the relayer (fee ${relayer.info.minFeeBps / 100} % of the reward), paid to a fresh address derived from your identity for this batch: no wallet needed, and no address of yours appears on-chain.`
                          : relayer.error
                            ? "The relayer cannot be reached: submit from your wallet instead, or try again later."
                            : "Submitted through the relayer…"
                        : "Submitted from the connected wallet, which pays the gas and receives the reward."}
                    </p>
                    <label className="check small">
                      <input
                        type="checkbox"
                        data-testid="submit-direct"
                        checked={direct}
                        disabled={job.busy}
                        onChange={(e) => setDirect(e.target.checked)}
                      />{" "}
                      Submit from my wallet instead (links this batch to your address)
                    </label>
                  </div>
                )}
              </>
            }
            busy={job.busy}
            run={job.run}
            now={now}
            onProve={() => void proveAndSubmit()}
            onCancel={job.cancel}
          />
          {id.identity && (
            <PayeeEarnings
              identity={id.identity}
              chainId={d.chainId}
              escrow={escrow}
              taskId={task.id}
              batchCount={task.batches.length}
              token={task.token}
              relayer={relayer}
            />
          )}
          {address && <EarningsPanel key={address} account={address} token={task.token} />}
        </aside>
      </div>
    </>
  );
}
