"use client";

import { type Box, checkBoxLabels } from "@zklabel/core/bbox";
import { checkClassificationLabels } from "@zklabel/core/classification";
import { cannotStartBatch, cannotSubmit, taskPhase } from "@zklabel/core/lifecycle";
import { checkSensorLabels } from "@zklabel/core/sensor";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { describeError } from "@zklabel/sdk/errors";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Address, Hash } from "viem";
import { useConfig, useConnection, useWriteContract } from "wagmi";
import { getBlock, simulateContract, waitForTransactionReceipt } from "wagmi/actions";
import { useDeployment } from "@/components/AppShell";
import { IdentityPanel } from "@/components/IdentityPanel";
import { duration, eth, megabytes } from "@/lib/format";
import { useWorkerGroup } from "@/lib/group";
import { useWorkerIdentity } from "@/lib/identity";
import { JobCancelledError, startFetch, startProving, type WorkerJob } from "@/lib/prove-client";
import type { FetchResult, ItemWire, WorkerStage } from "@/lib/prove-protocol";
import { useNow } from "@/lib/requester";
import { storeGet, storePut } from "@/lib/requester-store";
import { type BatchView, circuitForRule, parseIndex, type TaskView, timeLeft, useChainNow, useTask } from "@/lib/tasks";
import { recordProvingTime } from "@/lib/work";
import { BoxLabeler } from "./BoxLabeler";
import { ClassificationLabeler, isAllowed } from "./ClassificationLabeler";
import { EarningsPanel } from "./EarningsPanel";
import { SensorLabeler } from "./SensorLabeler";
import "./work.css";

/** /work/<taskId>: the labeling workspace of one task. */
export function WorkTask() {
  const params = useParams<{ taskId: string }>();
  const taskId = parseIndex(params.taskId);
  const { task, error, loading } = useTask(taskId);
  if (taskId === null) return <Problem title="No such task" detail={`"${params.taskId}" is not a task number.`} />;
  if (error) return <Problem title="The tasks could not be read" detail={error} />;
  if (loading || task === undefined)
    return (
      <p className="muted" role="status">
        Loading task #{taskId.toString()}…
      </p>
    );
  if (task === null)
    return <Problem title={`Task #${taskId} does not exist`} detail="No task with this number is on this chain." />;
  return <Workspace key={task.id.toString()} task={task} />;
}

function Problem({ title, detail }: { title: string; detail: string }) {
  return (
    <section className="card problem" role="alert">
      <h1>{title}</h1>
      <p className="problem-detail">{detail}</p>
      <Link className="btn" href="/work">
        Back to the open tasks
      </Link>
    </section>
  );
}

type Phase = WorkerStage | "submitting" | "confirming" | "done" | "failed" | "cancelled";

interface Run {
  kind: "fetch" | "prove";
  batch: number;
  phase: Phase;
  startedAt: number;
  endedAt?: number;
  download?: { loaded: number; total: number | null; fromCache: boolean };
  hash?: Hash;
  provingMs?: number;
  error?: string;
}

const FETCH_STEPS: { phases: Phase[]; label: string }[] = [
  { phases: ["circuit"], label: "Access circuit" },
  { phases: ["challenge", "prove"], label: "Prove membership" },
  { phases: ["download"], label: "Download items" },
];
const PROVE_STEPS: { phases: Phase[]; label: string }[] = [
  { phases: ["circuit"], label: "Circuit" },
  { phases: ["input", "witness"], label: "Witness" },
  { phases: ["proof"], label: "Proof" },
  { phases: ["submitting", "confirming"], label: "Submit" },
];
const WORKING: Phase[] = [
  "circuit",
  "challenge",
  "prove",
  "download",
  "input",
  "witness",
  "proof",
  "submitting",
  "confirming",
];
const CANCELLABLE: Phase[] = ["circuit", "challenge", "prove", "download", "input", "witness", "proof"];

function stageText(r: Run): string {
  switch (r.phase) {
    case "circuit": {
      const dl = r.download;
      const what = r.kind === "fetch" ? "the access circuit" : "the rule circuit";
      if (!dl) return `Fetching ${what}`;
      if (dl.fromCache) return `Loading ${what} from the browser cache`;
      if (!dl.total) return `Downloading ${what} (${megabytes(dl.loaded)})`;
      return `Downloading ${what}: ${Math.floor((dl.loaded / dl.total) * 100)}% of ${megabytes(dl.total)}`;
    }
    case "challenge":
      return "Asking the vault for a one-time challenge";
    case "prove":
      return "Proving anonymously that you are a member of the worker group";
    case "download":
      return "Downloading the batch and checking every item against the dataset root";
    case "input":
      return "Checking the labels against the rule";
    case "witness":
      return "Computing the witness";
    case "proof":
      return "Generating the zero-knowledge proof";
    case "submitting":
      return "Submitting the proof to the escrow (confirm in your wallet)";
    case "confirming":
      return "Waiting for the transaction to be mined";
    case "done":
      return r.kind === "fetch" ? "Batch downloaded" : "Proof accepted on-chain";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
  }
}

/** A label: a class number (sensor: 1 = anomaly) or, for bounding-box tasks, a box. */
type Label = number | Box;

/** Labels per batch, kept in this browser so a reload or a failed proof loses nothing. */
function useStoredLabels(key: string) {
  const [labels, setLabels] = useState<Record<number, (Label | null)[]>>(() => {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "{}");
      return parsed && typeof parsed === "object" ? (parsed as Record<number, (Label | null)[]>) : {};
    } catch {
      return {};
    }
  });
  useEffect(() => {
    try {
      localStorage.setItem(key, JSON.stringify(labels));
    } catch {}
  }, [key, labels]);
  return [labels, setLabels] as const;
}

function Workspace({ task }: { task: TaskView }) {
  const d = useDeployment();
  const config = useConfig();
  const write = useWriteContract();
  const { address, chainId, status } = useConnection();
  const escrow = d.escrow as Address;
  const chainNow = useChainNow();
  const rule = task.rule;
  const p4 = task.info.ruleParams;
  const classes = useMemo(
    () =>
      rule === "sensor"
        ? ["normal", "anomaly"]
        : (task.metadata?.rule.classes ?? Array.from({ length: Number(p4[0]) }, (_, i) => `Class ${i + 1}`)),
    [task, rule, p4],
  );
  const params = useMemo(
    () => ({
      numClasses: Number(p4[0]),
      allowedMask: p4[1],
      minWidth: Number(p4[2]),
      minHeight: Number(p4[3]),
      lo: Number(p4[0]),
      hi: Number(p4[1]),
    }),
    [p4],
  );
  const vaultUrl = task.metadata?.vault;

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

  const [batch, setBatch] = useState<number>(() => task.batches.find((b) => b.status === "open")?.index ?? 0);
  const bv: BatchView | undefined = task.batches[batch];
  const [fetched, setFetched] = useState<Record<number, FetchResult>>({});
  // A batch downloaded before (this browser, this task) is kept in IndexedDB: a reload does not
  // need a new access proof or download.
  const fetchedKey = (b: number) => `zklabel.batch.${d.chainId}.${escrow}.${task.id}.${b}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetchedKey depends only on what is listed
  useEffect(() => {
    if (fetched[batch]) return;
    let live = true;
    storeGet<FetchResult>(fetchedKey(batch))
      .then((saved) => {
        if (live && saved?.items) setFetched((f) => (f[batch] ? f : { ...f, [batch]: saved }));
      })
      .catch(() => {}); // no storage: download again
    return () => {
      live = false;
    };
  }, [batch, d.chainId, escrow, task.id]);
  const items = fetched[batch]?.items;
  const [current, setCurrent] = useState(0);
  const [allLabels, setAllLabels] = useStoredLabels(`zklabel.labels.${d.chainId}.${escrow}.${task.id}`);
  const windows = useMemo(() => items?.map((x) => x.readings ?? []) ?? [], [items]);
  const sizes = useMemo(() => items?.map((x) => ({ width: x.width ?? 0, height: x.height ?? 0 })) ?? [], [items]);
  const labels = useMemo(() => {
    const saved = allLabels[batch] ?? [];
    return Array.from({ length: bv?.count ?? 0 }, (_, i) => saved[i] ?? null);
  }, [allLabels, batch, bv?.count]);
  const problems = useMemo(
    () =>
      labels.map((l, i): string | null => {
        if (l === null) return null;
        const at = (bv?.first ?? 0) + i;
        const found =
          rule === "bbox"
            ? sizes[i]
              ? checkBoxLabels([l as Box], [{ contentHash: 0n, ...sizes[i] }], params, at)
              : []
            : rule === "sensor"
              ? windows[i]
                ? checkSensorLabels([l as number], [windows[i]], params, at)
                : []
              : checkClassificationLabels([l as number], params, at);
        const text = found[0]?.replace(/^item \d+: /, "") ?? null;
        // Name the class rather than its number.
        const cls = text?.match(/^class (\d+) is not allowed in this task$/)?.[1];
        return cls !== undefined ? `“${classes[Number(cls)] ?? cls}” is not accepted in this task` : text;
      }),
    [labels, params, bv?.first, rule, sizes, windows, classes],
  );
  const violations = problems.filter((p) => p !== null).length;
  const unlabeled = labels.filter((l) => l === null).length;

  const [run, setRun] = useState<Run | null>(null);
  const job = useRef<WorkerJob<unknown> | null>(null);
  useEffect(() => () => job.current?.cancel(), []);
  const busy = run !== null && WORKING.includes(run.phase);
  const now = useNow(100, busy);

  const onLabel = useCallback(
    (i: number, label: Label | null) => {
      setAllLabels((all) => {
        const next = Array.from({ length: bv?.count ?? 0 }, (_, k) => all[batch]?.[k] ?? null);
        next[i] = label;
        return { ...all, [batch]: next };
      });
    },
    [batch, bv?.count, setAllLabels],
  );

  const selectBatch = (b: number) => {
    if (busy) return;
    setBatch(b);
    setCurrent(0);
    setRun((r) => (r && r.batch === b ? r : null));
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
      : violations > 0
        ? `Fix the ${violations === 1 ? "label that breaks" : `${violations} labels that break`} the task's rule.`
        : unlabeled > 0
          ? `Label every item first (${unlabeled} left).`
          : !address
            ? "Connect a wallet to submit and get paid."
            : wrongChain
              ? `Switch the wallet to chain ${d.chainId}.`
              : fetchBlocker;

  const update = (startedAt: number, patch: Partial<Run>) =>
    setRun((r) => (r && r.startedAt === startedAt ? { ...r, ...patch } : r));
  const onProgress =
    (startedAt: number) =>
    (
      e:
        | { type: "stage"; stage: WorkerStage }
        | { type: "download"; loaded: number; total: number | null; fromCache: boolean },
    ) => {
      if (e.type === "stage") update(startedAt, { phase: e.stage });
      else update(startedAt, { download: { loaded: e.loaded, total: e.total, fromCache: e.fromCache } });
    };

  async function openBatch() {
    if (fetchBlocker || !id.identity || !group.group || !vaultUrl || busy) return;
    const b = batch;
    const startedAt = Date.now();
    setRun({ kind: "fetch", batch: b, phase: "circuit", startedAt });
    const j = startFetch(
      {
        kind: "fetch",
        vaultUrl,
        task: task.info,
        batchIndex: b,
        identityKey: id.identity.export(),
        groupLeaves: [...group.group.leaves],
      },
      onProgress(startedAt),
    );
    job.current = j;
    try {
      const res = await j.result;
      setFetched((f) => ({ ...f, [b]: res }));
      storePut(fetchedKey(b), res).catch(() => {}); // kept if the browser lets us; fetched again otherwise
      update(startedAt, { phase: "done", endedAt: Date.now() });
    } catch (e) {
      if (e instanceof JobCancelledError) update(startedAt, { phase: "cancelled", endedAt: Date.now() });
      else update(startedAt, { phase: "failed", endedAt: Date.now(), error: describeError(e).message });
    } finally {
      if (job.current === j) job.current = null;
    }
  }

  async function proveAndSubmit() {
    const f = fetched[batch];
    if (proveBlocker || !f || !address || !id.identity || !group.group || busy) return;
    const account = address;
    const b = batch;
    const startedAt = Date.now();
    setRun({ kind: "prove", batch: b, phase: "circuit", startedAt });
    const j = startProving(
      {
        kind: "prove",
        task: task.info,
        chainId: d.chainId,
        escrow,
        batchIndex: b,
        labels: labels.map((l) => (typeof l === "number" ? l : (l?.cls ?? 0))),
        boxes: rule === "bbox" ? (labels as Box[]) : undefined,
        recipient: account,
        identityKey: id.identity.export(),
        groupLeaves: [...group.group.leaves],
        slice: f.slice,
        items: f.items,
      },
      onProgress(startedAt),
    );
    job.current = j;
    let proof: Awaited<ReturnType<typeof startProving>["result"]>;
    try {
      proof = await j.result;
    } catch (e) {
      if (e instanceof JobCancelledError) update(startedAt, { phase: "cancelled", endedAt: Date.now() });
      else update(startedAt, { phase: "failed", endedAt: Date.now(), error: describeError(e).message });
      return;
    } finally {
      if (job.current === j) job.current = null;
    }
    recordProvingTime(d.circuit, proof.timings.provingMs);
    update(startedAt, { phase: "submitting", provingMs: proof.timings.provingMs });
    let hash: Hash | undefined;
    try {
      // Broadcasting shows the ciphertext to everyone: never when the task may close before it is mined.
      const latest = await getBlock(config, { chainId: d.chainId });
      const late = cannotSubmit(task, Number(latest.timestamp));
      if (late) throw new Error(`Not submitted, your labels are kept: ${late}.`);
      const call = {
        address: escrow,
        abi: escrowAbi,
        functionName: "submitBatch",
        args: [task.id, BigInt(b), proof.proof, proof.publicSignals],
        account,
        chainId: d.chainId,
      } as const;
      await simulateContract(config, call);
      hash = await write.mutateAsync(call);
      update(startedAt, { phase: "confirming", hash });
      const receipt = await waitForTransactionReceipt(config, { hash, chainId: d.chainId });
      if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted`);
      update(startedAt, { phase: "done", endedAt: Date.now() });
    } catch (e) {
      update(startedAt, { phase: "failed", endedAt: Date.now(), error: describeError(e).message, hash });
    }
  }

  // Ctrl+Enter (or Cmd+Enter) proves and submits.
  const proveRef = useRef(proveAndSubmit);
  proveRef.current = proveAndSubmit;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void proveRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const cancel = () => job.current?.cancel();
  const elapsed = run ? (run.endedAt ?? now) - run.startedAt : 0;
  const steps = run?.kind === "fetch" ? FETCH_STEPS : PROVE_STEPS;
  const stepIndex = run ? steps.findIndex((s) => s.phases.includes(run.phase)) : -1;
  const fraction =
    run?.phase === "circuit" && run.download?.total
      ? run.download.loaded / run.download.total
      : run?.phase === "done"
        ? 1
        : undefined;
  // A cancelled task still takes batches until it closes (the notice period), but none is started then.
  const phase = taskPhase(task, Number(chainNow));
  const startBlocked = cannotStartBatch(task, Number(chainNow));

  return (
    <>
      {d.insecureDevKeys && (
        <p className="banner" role="note">
          Development deployment: proofs use INSECURE development keys and the contracts run on the local chain only.
        </p>
      )}
      <TaskHeader task={task} classes={classes} allowedMask={rule === "sensor" ? 3n : params.allowedMask} />
      {phase === "closing" && (
        <p className="note" role="status" data-testid="task-closing">
          The requester cancelled this task: it closes at {new Date(Number(task.closesAt) * 1000).toLocaleString()}.
          Batches submitted before then are still accepted and paid; no new batch can be opened.
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
      {!circuitForRule(task.rule) && (
        <p className="error" role="alert">
          This task's rule has no verifier deployed behind this escrow, so its batches cannot be proven here.
        </p>
      )}
      <div className="workspace">
        <section className="card labeling" aria-labelledby="batch-heading">
          <div className="section-head">
            <h2 id="batch-heading">Label a batch</h2>
            <p className="muted small">
              {rule === "bbox" ? (
                <>
                  drag to draw, <kbd>1</kbd>–<kbd>{Math.min(9, classes.length)}</kbd> class, <kbd>[</kbd>/<kbd>]</kbd>{" "}
                  item,
                </>
              ) : (
                <>
                  <kbd>1</kbd>–<kbd>{Math.min(9, classes.length)}</kbd> label, <kbd>←</kbd>/<kbd>→</kbd> move,
                </>
              )}{" "}
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd> prove and submit
            </p>
          </div>
          <BatchPicker
            task={task}
            batch={batch}
            busy={busy}
            savedOf={(b) => allLabels[b]?.filter((l) => l !== null).length ?? 0}
            chainNow={chainNow}
            onSelect={selectBatch}
          />
          {bv && bv.status !== "open" && (
            <>
              <SubmittedBatch task={task} bv={bv} chainNow={chainNow} />
              <NextBatch task={task} after={batch} busy={busy} onSelect={selectBatch} />
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
                disabled={fetchBlocker !== null || busy || startBlocked !== undefined}
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
              classes={classes}
              params={params}
              sizes={sizes}
              windows={windows}
              labels={labels}
              problems={problems}
              current={Math.min(current, items.length - 1)}
              readOnly={busy}
              onCurrent={setCurrent}
              onLabel={onLabel}
            />
          )}
        </section>

        <aside className="side">
          <IdentityPanel
            id={id}
            groupId={task.workerGroupId}
            groups={d.groups as Address}
            chainId={d.chainId}
            account={address}
            member={member}
            groupSize={group.group?.size}
            groupError={group.error}
            onJoined={group.refetch}
          />
          <section className="card prove" aria-labelledby="prove-heading">
            <h2 id="prove-heading">Prove and get paid</h2>
            {items && (
              <>
                <p className="progress-count" data-testid="labeled-count">
                  <strong>{labels.length - unlabeled}</strong> of {labels.length} labeled
                  {violations > 0 && (
                    <span className="bad" data-testid="violation-count">
                      {" "}
                      · {violations} breaking the rule
                    </span>
                  )}
                </p>
                <meter
                  className="label-meter"
                  min={0}
                  max={labels.length}
                  value={labels.length - unlabeled}
                  aria-label="Items labeled"
                />
              </>
            )}
            {violations > 0 && (
              <div className="violations" role="alert" data-testid="rule-violations">
                <strong>The rule refuses these labels; they cannot be proven:</strong>
                <ul>
                  {problems.map((p, i) =>
                    p ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the item's position in the batch is its identity
                      <li key={i}>
                        Item {i + 1}: {p}
                      </li>
                    ) : null,
                  )}
                </ul>
              </div>
            )}
            <button
              type="button"
              className="btn primary wide"
              data-testid="prove-submit"
              disabled={proveBlocker !== null || busy}
              onClick={() => void proveAndSubmit()}
              aria-keyshortcuts="Control+Enter"
            >
              {busy && run?.kind === "prove" ? "Working…" : `Prove and submit batch ${batch}`}
            </button>
            {proveBlocker && !busy && (
              <p className="muted small" data-testid="prove-blocker">
                {proveBlocker}
              </p>
            )}
            {run && run.batch === batch && (
              <div
                className={`run phase-${run.phase}`}
                data-testid="run"
                data-kind={run.kind}
                data-phase={run.phase}
                data-from-cache={run.download?.fromCache ?? ""}
                aria-live="polite"
              >
                <ol className="steps">
                  {steps.map((s, i) => (
                    <li
                      key={s.label}
                      className={run.phase === "done" || i < stepIndex ? "done" : i === stepIndex ? "current" : ""}
                      aria-current={i === stepIndex ? "step" : undefined}
                    >
                      {s.label}
                    </li>
                  ))}
                </ol>
                <div className="stage-row">
                  <span data-testid="run-stage">{stageText(run)}</span>
                  <span className="elapsed" data-testid="run-elapsed">
                    {duration(elapsed)}
                  </span>
                </div>
                {(busy || run.phase === "done") &&
                  (fraction === undefined ? (
                    <progress aria-label="Progress" />
                  ) : (
                    <progress aria-label="Progress" max={1} value={fraction} />
                  ))}
                {CANCELLABLE.includes(run.phase) && (
                  <button type="button" className="btn ghost small" data-testid="run-cancel" onClick={cancel}>
                    Cancel
                  </button>
                )}
                {run.provingMs !== undefined && (
                  <p className="muted small" data-testid="proving-time" data-ms={Math.round(run.provingMs)}>
                    Proof generated in {duration(run.provingMs)}
                  </p>
                )}
                {run.hash && (
                  <p className="small">
                    Transaction{" "}
                    <code data-testid="tx-hash" data-hash={run.hash} title={run.hash}>
                      {`${run.hash.slice(0, 12)}…${run.hash.slice(-10)}`}
                    </code>
                  </p>
                )}
                {run.phase === "failed" && (
                  <p className="error" role="alert" data-testid="run-error">
                    {run.error}
                  </p>
                )}
                {run.phase === "cancelled" && <p className="muted small">Cancelled. Your labels are kept.</p>}
              </div>
            )}
          </section>
          {address && <EarningsPanel key={address} account={address} token={task.token} />}
        </aside>
      </div>
    </>
  );
}

function TaskHeader({
  task,
  classes,
  allowedMask,
}: {
  task: TaskView;
  classes: readonly string[];
  allowedMask: bigint;
}) {
  return (
    <section className="card task" aria-labelledby="task-title">
      <div className="task-head">
        <div>
          <p className="eyebrow">
            Task #{task.id.toString()} · {task.info.itemCount} items · {task.batches.length} batches of{" "}
            {task.info.batchSize}
          </p>
          <h1 id="task-title" data-testid="task-title">
            {task.title}
          </h1>
        </div>
        <div className="reward" data-testid="reward-per-item" data-wei={task.info.rewardPerItem.toString()}>
          <span className="reward-value">{eth(task.info.rewardPerItem)} ETH</span>
          <span className="muted small">per item</span>
        </div>
      </div>
      {task.metadata?.instructions && (
        <p className="instructions" data-testid="task-instructions">
          {task.metadata.instructions}
        </p>
      )}
      {task.metadataProblem && (
        <p className="error small" role="alert">
          The task's metadata could not be read: {task.metadataProblem}
        </p>
      )}
      {task.rule === "sensor" && (
        <p className="small" data-testid="sensor-thresholds">
          Normal when every reading is within [{task.info.ruleParams[0].toString()},{" "}
          {task.info.ruleParams[1].toString()}
          ]; anomaly otherwise.
        </p>
      )}
      {task.rule === "bbox" && (
        <p className="small">
          One box per image, at least {task.info.ruleParams[2].toString()}×{task.info.ruleParams[3].toString()} pixels.
        </p>
      )}
      <ul className="classes" aria-label="Classes">
        {classes.map((name, c) => {
          const ok = isAllowed(allowedMask, c);
          return (
            <li key={name} className={`class-chip ${ok ? "" : "forbidden"}`}>
              {c < 9 && <kbd>{c + 1}</kbd>} {name}
              {!ok && <span className="small"> · not accepted</span>}
            </li>
          );
        })}
      </ul>
      <p className="muted small">
        {task.challengeWindow > 0
          ? `Gold items check the work: a batch is paid when its ${duration(task.challengeWindow * 1000)} challenge window ends.`
          : "No gold items: a batch is paid as soon as its proof is accepted."}{" "}
        Deadline {new Date(Number(task.deadline) * 1000).toLocaleString()}.
      </p>
    </section>
  );
}

function BatchPicker(props: {
  task: TaskView;
  batch: number;
  busy: boolean;
  chainNow: bigint;
  savedOf(b: number): number;
  onSelect(b: number): void;
}) {
  return (
    <fieldset className="batches">
      <legend className="visually-hidden">Batch</legend>
      {props.task.batches.map((b) => {
        const saved = props.savedOf(b.index);
        const badge =
          b.status === "verified"
            ? "✓ paid"
            : b.status === "pending"
              ? "pending"
              : saved > 0
                ? `${saved}/${b.count} labeled`
                : "open";
        return (
          <button
            type="button"
            key={b.index}
            aria-pressed={props.batch === b.index}
            className={`batch ${props.batch === b.index ? "selected" : ""} ${b.status === "verified" ? "done" : ""}`}
            data-testid={`batch-${b.index}`}
            data-status={b.status}
            disabled={props.busy}
            onClick={() => props.onSelect(b.index)}
          >
            <span className="batch-name">Batch {b.index}</span>
            <span className="small">
              items {b.first + 1}–{b.first + b.count}
            </span>
            <span className={`badge ${b.status === "verified" ? "ok" : b.status === "pending" ? "warn" : ""}`}>
              {badge}
            </span>
          </button>
        );
      })}
    </fieldset>
  );
}

/** A button to the next open batch after `after` (wrapping around), when there is one. */
function NextBatch(props: { task: TaskView; after: number; busy: boolean; onSelect(b: number): void }) {
  const open = props.task.batches.filter((b) => b.status === "open");
  const next = open.find((b) => b.index > props.after) ?? open[0];
  if (!next) return <p className="muted small">Every batch of this task has a proof: nothing is left to label.</p>;
  return (
    <button
      type="button"
      className="btn small"
      data-testid="next-open-batch"
      disabled={props.busy}
      onClick={() => props.onSelect(next.index)}
    >
      Next open batch: batch {next.index} ({next.count} items)
    </button>
  );
}

/** A batch with an accepted proof: pending until its window ends (anyone may then finalize it), or paid. */
function SubmittedBatch({ task, bv, chainNow }: { task: TaskView; bv: BatchView; chainNow: bigint }) {
  const d = useDeployment();
  const config = useConfig();
  const write = useWriteContract();
  const { address } = useConnection();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const ends = bv.finalizesAt ?? 0n;
  const due = chainNow >= ends;

  async function finalize() {
    if (!address) return;
    setState({ busy: true });
    try {
      const call = {
        address: d.escrow as Address,
        abi: escrowAbi,
        functionName: "finalize",
        args: [task.id, [BigInt(bv.index)]],
        account: address,
        chainId: d.chainId,
      } as const;
      await simulateContract(config, call);
      const hash = await write.mutateAsync(call);
      const receipt = await waitForTransactionReceipt(config, { hash, chainId: d.chainId });
      if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted`);
      setState({ busy: false });
    } catch (e) {
      setState({ busy: false, error: describeError(e).message });
    }
  }

  if (bv.status === "verified") {
    return (
      <p className="note ok" data-testid="batch-paid">
        Batch {bv.index} is verified and its reward credited.{" "}
        <Link href={`/audit/${task.id}/batch/${bv.index}`}>See its proof</Link>
      </p>
    );
  }
  return (
    <div className="note" data-testid="batch-pending">
      <p>
        Batch {bv.index}'s proof was accepted. It is pending while the requester may check it against gold items: the
        challenge window {due ? "has ended" : `ends ${timeLeft(ends, Number(chainNow) * 1000)}`} (
        {new Date(Number(ends) * 1000).toLocaleString()}).
      </p>
      {due && (
        <>
          <p>Anyone may now finalize it, which credits the reward.</p>
          <button
            type="button"
            className="btn primary small"
            data-testid="finalize-batch"
            disabled={state.busy || !address}
            onClick={() => void finalize()}
          >
            {state.busy ? "Finalizing…" : "Finalize and credit the reward"}
          </button>
          {!address && <p className="muted small">Connect a wallet to send the finalize transaction.</p>}
        </>
      )}
      {state.error && (
        <p className="error small" role="alert" data-testid="finalize-error">
          {state.error}
        </p>
      )}
    </div>
  );
}

/** The labeling screen of the task's rule. */
function Labeler(p: {
  rule: TaskView["rule"];
  items: ItemWire[];
  classes: readonly string[];
  params: { allowedMask: bigint; minWidth: number; minHeight: number; lo: number; hi: number };
  sizes: { width: number; height: number }[];
  windows: number[][];
  labels: (Label | null)[];
  problems: (string | null)[];
  current: number;
  readOnly: boolean;
  onCurrent(i: number): void;
  onLabel(i: number, label: Label | null): void;
}) {
  const common = {
    items: p.items,
    problems: p.problems,
    current: p.current,
    readOnly: p.readOnly,
    onCurrent: p.onCurrent,
  };
  if (p.rule === "bbox")
    return (
      <BoxLabeler
        {...common}
        classes={p.classes}
        allowedMask={p.params.allowedMask}
        minWidth={p.params.minWidth}
        minHeight={p.params.minHeight}
        sizes={p.sizes}
        labels={p.labels.map((l) => (l !== null && typeof l === "object" ? l : null))}
        onLabel={p.onLabel}
      />
    );
  if (p.rule === "sensor")
    return (
      <SensorLabeler
        {...common}
        windows={p.windows}
        lo={p.params.lo}
        hi={p.params.hi}
        labels={p.labels.map((l) => (l === 0 || l === 1 ? l : null))}
        onLabel={p.onLabel}
      />
    );
  return (
    <ClassificationLabeler
      {...common}
      classes={p.classes}
      allowedMask={p.params.allowedMask}
      labels={p.labels.map((l) => (typeof l === "number" ? l : null))}
      onLabel={p.onLabel}
    />
  );
}
