"use client";

import { checkClassificationLabels } from "@zklabel/core/classification";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { describeError } from "@zklabel/sdk/errors";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type Address, type Hash, zeroAddress } from "viem";
import { useBalance, useConfig, useConnection, useReadContract, useReadContracts, useWriteContract } from "wagmi";
import { simulateContract, waitForTransactionReceipt } from "wagmi/actions";
import { duration, eth, ethRounded, megabytes, shortAddress } from "@/lib/format";
import { useWorkerGroup } from "@/lib/group";
import { useWorkerIdentity } from "@/lib/identity";
import { ProveCancelledError, type ProvingRun, startProving } from "@/lib/prove-client";
import { useDeployment } from "./AppShell";
import { IdentityPanel } from "./IdentityPanel";
import { LabelList } from "./LabelList";
import { TaskCard } from "./TaskCard";

type Phase = "download" | "prepare" | "proving" | "submitting" | "confirming" | "paid" | "failed" | "cancelled";

interface RunState {
  batch: number;
  phase: Phase;
  startedAt: number;
  endedAt?: number;
  download?: { loaded: number; total: number | null; fromCache: boolean };
  timings?: { downloadMs: number; prepareMs: number; provingMs: number };
  hash?: Hash;
  reward?: bigint;
  /** credits(address) read right after the batch was accepted. */
  credited?: bigint;
  error?: string;
}

const WORKING: Phase[] = ["download", "prepare", "proving", "submitting", "confirming"];
const CANCELLABLE: Phase[] = ["download", "prepare", "proving"];

const STEPS: { phases: Phase[]; label: string }[] = [
  { phases: ["download"], label: "Circuit" },
  { phases: ["prepare", "proving"], label: "Prove" },
  { phases: ["submitting"], label: "Submit" },
  { phases: ["confirming"], label: "Confirm" },
];

function stageText(r: RunState): string {
  switch (r.phase) {
    case "download": {
      const dl = r.download;
      if (!dl) return "Fetching the circuit";
      if (dl.fromCache) return "Loading the circuit from the browser cache";
      if (!dl.total) return `Downloading the circuit (${megabytes(dl.loaded)})`;
      return `Downloading the circuit ${Math.floor((dl.loaded / dl.total) * 100)}% (${megabytes(dl.loaded)} of ${megabytes(dl.total)})`;
    }
    case "prepare":
      return "Preparing the witness input";
    case "proving":
      return "Generating the zero-knowledge proof";
    case "submitting":
      return "Submitting the proof to the escrow";
    case "confirming":
      return "Waiting for the transaction to be mined";
    case "paid":
      return "Accepted and paid";
    case "failed":
      return "Failed";
    case "cancelled":
      return "Cancelled";
  }
}

/** Re-renders every `ms` while `active`, returning the current time. */
function useNow(active: boolean, ms = 100): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [active, ms]);
  return now;
}

function useStoredLabels(key: string) {
  const [labels, setLabels] = useState<Record<number, (number | null)[]>>(() => {
    try {
      const raw = localStorage.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : {};
      return parsed && typeof parsed === "object" ? (parsed as Record<number, (number | null)[]>) : {};
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

/** The worker's page: task, batch picker, labeling, proving and payment. */
export function WorkerPage() {
  const d = useDeployment();
  const t = d.demoTask;
  const escrow = d.escrow as Address;
  const taskId = BigInt(t.taskId);
  const params = useMemo(
    () => ({ numClasses: t.numClasses, allowedMask: BigInt(t.allowedMask) }),
    [t.numClasses, t.allowedMask],
  );
  const batchCount = Math.ceil(t.items.length / d.batchSize);
  const config = useConfig();
  const { address, chainId, status } = useConnection();
  const write = useWriteContract();

  const task = useReadContract({
    address: escrow,
    abi: escrowAbi,
    functionName: "getTask",
    args: [taskId],
    chainId: d.chainId,
  });
  const accepted = useReadContracts({
    contracts: Array.from({ length: batchCount }, (_, i) => ({
      address: escrow,
      abi: escrowAbi,
      functionName: "isBatchAccepted" as const,
      args: [taskId, BigInt(i)] as const,
      chainId: d.chainId,
    })),
  });
  const credits = useReadContract({
    address: escrow,
    abi: escrowAbi,
    functionName: "credits",
    args: [zeroAddress, address ?? zeroAddress],
    chainId: d.chainId,
    query: { enabled: !!address },
  });
  const balance = useBalance({ address, chainId: d.chainId, query: { enabled: !!address } });
  const id = useWorkerIdentity();
  const groupId = BigInt(t.workerGroupId);
  const group = useWorkerGroup(d.groups as Address, groupId, BigInt(d.deployBlock), d.chainId);
  const member =
    id.identity && group.group
      ? group.group.indexOf(id.identity.commitment) >= 0
      : id.identity === null
        ? false
        : undefined;
  const isAccepted = (b: number) => accepted.data?.[b]?.result === true;

  const [batch, setBatch] = useState(0);
  const pickedBatch = useRef(false);
  useEffect(() => {
    // Start on the first batch nobody has been paid for yet.
    if (pickedBatch.current || !accepted.data) return;
    pickedBatch.current = true;
    const open = accepted.data.findIndex((r) => r.result !== true);
    if (open > 0) setBatch(open);
  }, [accepted.data]);

  const [allLabels, setAllLabels] = useStoredLabels(`zklabel.labels.${d.chainId}.${escrow}.${t.taskId}`);
  const first = batch * d.batchSize;
  const items = useMemo(() => t.items.slice(first, first + d.batchSize), [t.items, first, d.batchSize]);
  const labels = useMemo(() => {
    const saved = allLabels[batch] ?? [];
    return items.map((_, i) => saved[i] ?? null);
  }, [allLabels, batch, items]);
  const problems = useMemo(
    () => labels.map((l, i) => (l === null ? null : (checkClassificationLabels([l], params, first + i)[0] ?? null))),
    [labels, params, first],
  );
  const violations = problems.flatMap((p, i) =>
    p ? [{ item: first + i, label: labels[i] as number, message: p }] : [],
  );
  const unlabeled = labels.filter((l) => l === null).length;

  const [run, setRun] = useState<RunState | null>(null);
  const proving = useRef<ProvingRun | null>(null);
  useEffect(() => () => proving.current?.cancel(), []);
  const busy = run !== null && WORKING.includes(run.phase);
  const now = useNow(busy);

  const onLabel = useCallback(
    (i: number, label: number | null) => {
      setAllLabels((all) => {
        const next = Array.from({ length: items.length }, (_, k) => all[batch]?.[k] ?? null);
        next[i] = label;
        return { ...all, [batch]: next };
      });
    },
    [batch, items.length, setAllLabels],
  );

  const selectBatch = (b: number) => {
    if (busy) return;
    setBatch(b);
    setRun((r) => (r && r.batch === b ? r : null));
  };

  const batchDone = isAccepted(batch);
  const wrongChain = status === "connected" && chainId !== d.chainId;
  const blocker = !address
    ? "Connect a wallet to prove and get paid."
    : wrongChain
      ? `Switch the wallet to chain ${d.chainId}.`
      : batchDone
        ? "This batch has already been accepted and paid."
        : violations.length > 0
          ? `Fix the ${violations.length === 1 ? "label that breaks" : `${violations.length} labels that break`} the task rule.`
          : unlabeled > 0
            ? `Label every item first (${unlabeled} left).`
            : !id.identity
              ? "Create or import your anonymous identity first (see “Anonymous identity”)."
              : member !== true
                ? "Join the task's worker group first (see “Anonymous identity”)."
                : busy
                  ? "Working…"
                  : null;

  async function proveAndSubmit() {
    if (!address || blocker || !id.identity || !group.group) return;
    const account = address;
    const b = batch;
    const batchLabels = labels as number[];
    const startedAt = Date.now();
    const update = (patch: Partial<RunState>) =>
      setRun((r) => (r && r.startedAt === startedAt ? { ...r, ...patch } : r));
    setRun({ batch: b, phase: "download", startedAt });

    const job = startProving(
      {
        deployment: d,
        batchIndex: b,
        labels: batchLabels,
        recipient: account,
        identityKey: id.identity.export(),
        groupLeaves: group.group.leaves.map(String),
        expectedTaskHash: task.data?.taskHash.toString(),
      },
      (e) => {
        if (e.type === "stage") update({ phase: e.stage });
        else update({ download: { loaded: e.loaded, total: e.total, fromCache: e.fromCache } });
      },
    );
    proving.current = job;
    let proof: Awaited<ProvingRun["result"]>;
    try {
      proof = await job.result;
    } catch (e) {
      if (e instanceof ProveCancelledError) update({ phase: "cancelled", endedAt: Date.now() });
      else update({ phase: "failed", endedAt: Date.now(), error: describeError(e).message });
      return;
    } finally {
      if (proving.current === job) proving.current = null;
    }

    update({ phase: "submitting", timings: proof.timings });
    let hash: Hash | undefined;
    try {
      const call = {
        address: escrow,
        abi: escrowAbi,
        functionName: "submitBatch",
        args: [taskId, BigInt(b), proof.proof, proof.publicSignals],
        account,
        chainId: d.chainId,
      } as const;
      // Simulate first: a revert comes back with the contract's custom error.
      await simulateContract(config, call);
      hash = await write.mutateAsync(call);
      update({ phase: "confirming", hash });
      const receipt = await waitForTransactionReceipt(config, { hash, chainId: d.chainId });
      if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted`);
      const count = BigInt(batchLabels.length);
      const [after] = await Promise.all([credits.refetch(), accepted.refetch(), task.refetch(), balance.refetch()]);
      if (after.data === undefined)
        throw new Error(`the batch was accepted, but reading credits failed: ${after.error?.message}`);
      update({ phase: "paid", endedAt: Date.now(), reward: count * BigInt(t.rewardPerItem), credited: after.data });
    } catch (e) {
      update({ phase: "failed", endedAt: Date.now(), error: describeError(e).message, hash });
      void accepted.refetch();
    }
  }

  const cancel = () => proving.current?.cancel();
  const elapsed = run ? (run.endedAt ?? now) - run.startedAt : 0;
  const fraction =
    run?.phase === "download" && run.download?.total
      ? run.download.loaded / run.download.total
      : run?.phase === "paid"
        ? 1
        : undefined;
  const stepIndex = run ? STEPS.findIndex((s) => s.phases.includes(run.phase)) : -1;

  return (
    <>
      {d.insecureDevKeys && (
        <p className="banner" role="note">
          Development deployment: proofs use INSECURE development keys and the contracts run on the local chain only.
        </p>
      )}
      <TaskCard deployment={d} escrowLeft={task.data?.balance} />

      <div className="workspace">
        <section className="card labeling" aria-labelledby="batch-heading">
          <div className="section-head">
            <h2 id="batch-heading">Label a batch</h2>
            <p className="muted small">
              Click a class, or focus an item and press <kbd>1</kbd>–<kbd>{t.classes.length}</kbd>; <kbd>↑</kbd>/
              <kbd>↓</kbd> move.
            </p>
          </div>
          <fieldset className="batches">
            <legend className="visually-hidden">Batch</legend>
            {Array.from({ length: batchCount }, (_, b) => {
              const from = b * d.batchSize;
              const to = Math.min(from + d.batchSize, t.items.length);
              const done = isAccepted(b);
              const saved = allLabels[b]?.filter((l) => l !== null).length ?? 0;
              return (
                <button
                  type="button"
                  // biome-ignore lint/suspicious/noArrayIndexKey: the batch index is the batch's identity
                  key={b}
                  aria-pressed={batch === b}
                  className={`batch ${batch === b ? "selected" : ""} ${done ? "done" : ""}`}
                  data-testid={`batch-${b}`}
                  data-accepted={done}
                  disabled={busy}
                  onClick={() => selectBatch(b)}
                >
                  <span className="batch-name">Batch {b}</span>
                  <span className="small">
                    items {from + 1}–{to} · {to - from} items
                  </span>
                  <span className={`badge ${done ? "ok" : ""}`} data-testid={`batch-status-${b}`}>
                    {done ? "✓ done, paid" : saved > 0 ? `${saved}/${to - from} labeled` : "open"}
                  </span>
                </button>
              );
            })}
          </fieldset>

          {batchDone && (
            <p className="note ok" data-testid="batch-done-note">
              Batch {batch} is already accepted on-chain; its labels are shown for reference.
            </p>
          )}

          <LabelList
            firstItem={first}
            items={items}
            labels={labels}
            classes={t.classes}
            allowedMask={params.allowedMask}
            problems={problems}
            readOnly={batchDone || busy}
            onLabel={onLabel}
          />
        </section>

        <aside className="side">
          <IdentityPanel
            id={id}
            groupId={groupId}
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
            <p className="progress-count" data-testid="labeled-count">
              <strong>{items.length - unlabeled}</strong> of {items.length} labeled
              {violations.length > 0 && <span className="bad"> · {violations.length} breaking the rule</span>}
            </p>
            <meter
              className="label-meter"
              min={0}
              max={items.length}
              value={items.length - unlabeled}
              aria-label="Items labeled"
            />

            {violations.length > 0 && (
              <div className="violations" role="alert" data-testid="rule-violations">
                <p>
                  <strong>Rule check:</strong> {violations.length === 1 ? "this label breaks" : "these labels break"}{" "}
                  the task rule, so no proof exists for them:
                </p>
                <ul>
                  {violations.map((v) => (
                    <li key={v.item}>
                      #{v.item + 1}: {v.message.replace(/^item \d+: /, "")} (“{t.classes[v.label]}”)
                    </li>
                  ))}
                </ul>
              </div>
            )}

            <button
              type="button"
              className="btn primary wide"
              data-testid="prove-submit"
              disabled={blocker !== null}
              onClick={() => void proveAndSubmit()}
            >
              {busy ? "Working…" : `Prove and submit batch ${batch}`}
            </button>
            {blocker && !busy && !(run?.batch === batch && run.phase === "paid") && (
              <p className="muted small" data-testid="prove-blocker">
                {blocker}
              </p>
            )}

            {run && run.batch === batch && (
              <div
                className={`run phase-${run.phase}`}
                data-testid="prove-progress"
                data-phase={run.phase}
                data-from-cache={run.download?.fromCache ?? ""}
                aria-live="polite"
              >
                <ol className="steps">
                  {STEPS.map((s, i) => (
                    <li
                      key={s.label}
                      className={run.phase === "paid" || i < stepIndex ? "done" : i === stepIndex ? "current" : ""}
                      aria-current={i === stepIndex ? "step" : undefined}
                    >
                      {s.label}
                    </li>
                  ))}
                </ol>
                <div className="stage-row">
                  <span data-testid="prove-stage">{stageText(run)}</span>
                  <span className="elapsed" data-testid="prove-elapsed">
                    {duration(elapsed)}
                  </span>
                </div>
                {busy || run.phase === "paid" ? (
                  fraction === undefined ? (
                    <progress aria-label="Progress" />
                  ) : (
                    <progress aria-label="Progress" max={1} value={fraction} />
                  )
                ) : null}
                {CANCELLABLE.includes(run.phase) && (
                  <button type="button" className="btn ghost small" data-testid="prove-cancel" onClick={cancel}>
                    Cancel
                  </button>
                )}
                {run.timings && (
                  <p className="muted small" data-testid="proving-time" data-ms={Math.round(run.timings.provingMs)}>
                    Proof generated in {duration(run.timings.provingMs)} (loading the circuit took{" "}
                    {duration(run.timings.downloadMs)})
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
                  <p className="error" role="alert" data-testid="submit-error">
                    {run.error}
                  </p>
                )}
                {run.phase === "cancelled" && (
                  <p className="muted small">Proving was cancelled. Your labels are kept.</p>
                )}
                {run.phase === "paid" && run.credited !== undefined && (
                  <p className="paid" data-testid="paid" data-wei={run.credited.toString()}>
                    Batch {run.batch} accepted{run.reward !== undefined ? ` (+${eth(run.reward)} ETH)` : ""}.<br />
                    Paid: {eth(run.credited)} ETH credited
                  </p>
                )}
              </div>
            )}
          </section>

          {address && (
            <EarningsPanel
              // A different account has its own earnings: start fresh.
              key={address}
              account={address}
              escrow={escrow}
              chainId={d.chainId}
              credits={credits.data}
              balance={balance.data?.value}
              onChanged={async () => {
                await Promise.all([credits.refetch(), balance.refetch()]);
              }}
            />
          )}
        </aside>
      </div>
    </>
  );
}

function EarningsPanel(props: {
  account: Address;
  escrow: Address;
  chainId: number;
  credits: bigint | undefined;
  balance: bigint | undefined;
  onChanged(): Promise<void>;
}) {
  const config = useConfig();
  const write = useWriteContract();
  const [state, setState] = useState<{
    busy: boolean;
    done?: { amount: bigint; hash: Hash; to: Address };
    error?: string;
  }>({ busy: false });

  async function withdraw() {
    const amount = props.credits ?? 0n;
    setState({ busy: true });
    try {
      const call = {
        address: props.escrow,
        abi: escrowAbi,
        functionName: "withdraw",
        args: [zeroAddress, props.account],
        account: props.account,
        chainId: props.chainId,
      } as const;
      await simulateContract(config, call);
      const hash = await write.mutateAsync(call);
      const receipt = await waitForTransactionReceipt(config, { hash, chainId: props.chainId });
      if (receipt.status !== "success") throw new Error(`the transaction ${hash} reverted`);
      await props.onChanged();
      setState({ busy: false, done: { amount, hash, to: props.account } });
    } catch (e) {
      setState({ busy: false, error: describeError(e).message });
    }
  }

  return (
    <section className="card earnings" aria-labelledby="earnings-heading">
      <h2 id="earnings-heading">Earnings</h2>
      <dl className="facts">
        <div>
          <dt>Credited, not withdrawn</dt>
          <dd className="big" data-testid="credits" data-wei={props.credits?.toString() ?? ""}>
            {props.credits === undefined ? "…" : `${eth(props.credits)} ETH`}
          </dd>
        </div>
        <div>
          <dt>Wallet balance</dt>
          <dd data-testid="wallet-balance">{props.balance === undefined ? "…" : `${ethRounded(props.balance)} ETH`}</dd>
        </div>
      </dl>
      <button
        type="button"
        className="btn wide"
        data-testid="withdraw"
        disabled={state.busy || !props.credits}
        onClick={() => void withdraw()}
      >
        {state.busy ? "Withdrawing…" : `Withdraw to ${shortAddress(props.account)}`}
      </button>
      {state.done && (
        <p className="ok small" data-testid="withdrawn" data-wei={state.done.amount.toString()}>
          Withdrew {eth(state.done.amount)} ETH to {shortAddress(state.done.to)} (tx{" "}
          <code title={state.done.hash}>{shortAddress(state.done.hash)}</code>)
        </p>
      )}
      {state.error && (
        <p className="error small" role="alert" data-testid="withdraw-error">
          {state.error}
        </p>
      )}
    </section>
  );
}
