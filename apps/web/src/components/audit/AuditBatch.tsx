"use client";
/** /audit/<taskId>/batch/<b>: one batch's state, event, transaction, proof and an in-browser re-verification. */
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import type { DecodedLog } from "@zklabel/sdk/events";
import Link from "next/link";
import type { Address } from "viem";
import { useReadContract } from "wagmi";
import { hex } from "@/lib/audit";
import { useDeployment } from "@/lib/deployment";
import type { BatchView, TaskView } from "@/lib/tasks";
import { dateTime, timeLeft } from "@/lib/time";
import { BatchTransaction } from "./BatchTransaction";
import { Amount, Crumbs, Fact, Hex, Problem, TaskLoaded } from "./Common";
import { useNowSeconds, useRouteTask } from "./hooks";
import { Rejections } from "./Rejections";
import "./audit.css";

/** The auditor's page of one batch. */
export function AuditBatch() {
  const { id, rawId, batch, rawBatch, task, loading, error, refetch } = useRouteTask();
  if (id === null || batch === null) {
    return (
      <Problem title="This is not a batch address">
        <p>
          &ldquo;{id === null ? rawId : rawBatch}&rdquo; is not a {id === null ? "task" : "batch"} number. Pick a task
          from the <Link href="/audit">list of all tasks</Link>.
        </p>
      </Problem>
    );
  }
  return (
    <TaskLoaded id={id} task={task} loading={loading} error={error} refetch={refetch}>
      {(t) => {
        const b = t.batches[Number(batch)];
        if (!b) {
          return (
            <Problem title={`Task ${id} has no batch ${batch}`}>
              <p>
                Its batches are numbered 0 to {t.batches.length - 1}. Back to{" "}
                <Link href={`/audit/${id}`}>task {id.toString()}</Link>.
              </p>
            </Problem>
          );
        }
        return <BatchAudit task={t} batch={b} />;
      }}
    </TaskLoaded>
  );
}

function BatchAudit({ task: t, batch: b }: { task: TaskView; batch: BatchView }) {
  return (
    <>
      <Crumbs
        items={[
          { href: "/audit", label: "Audit" },
          { href: `/audit/${t.id}`, label: `Task #${t.id}` },
          { label: `Batch ${b.index}` },
        ]}
      />
      <header className="audit-head">
        <p className="eyebrow">
          {t.title} · task #{t.id.toString()}
        </p>
        <h1>Batch {b.index}</h1>
      </header>
      <BatchState task={t} batch={b} />
      {b.submitted ? (
        <>
          <SubmittedFacts task={t} submitted={b.submitted} />
          <BatchTransaction task={t} batch={b} submitted={b.submitted} />
        </>
      ) : (
        <section className="card" aria-labelledby="audit-proof-title">
          <h2 id="audit-proof-title">Proof</h2>
          <p className="muted" data-testid="batch-no-proof">
            {b.rejections.length > 0
              ? "No proof pending or accepted for this batch: its last submission was rejected (below)."
              : "No proof submitted for this batch yet."}
          </p>
        </section>
      )}
      {b.rejections.length > 0 && <Rejections task={t} batch={b.index} />}
    </>
  );
}

const STORAGE_STATES = ["open", "pending", "verified"] as const;

function BatchState({ task: t, batch: b }: { task: TaskView; batch: BatchView }) {
  const d = useDeployment();
  const now = useNowSeconds();
  const stored = useReadContract({
    address: d.escrow as Address,
    abi: escrowAbi,
    functionName: "batchState",
    args: [t.id, BigInt(b.index)],
    chainId: d.chainId,
    query: { refetchInterval: 4000 },
  });
  const storage = stored.data ? (STORAGE_STATES[stored.data[0]] ?? "unknown") : undefined;
  return (
    <section className="card" aria-labelledby="audit-state-title">
      <h2 id="audit-state-title">State</h2>
      <dl className="facts">
        <Fact term="State (events)">
          <span className={`badge audit-badge-${b.status}`} data-testid="batch-status" data-status={b.status}>
            {b.status}
          </span>
        </Fact>
        <Fact term="State (escrow storage)">
          {storage ? (
            <span className={storage === b.status ? "ok" : "bad"}>
              {storage}
              {storage === b.status ? " (agrees)" : " (differs from the events: reload the page)"}
            </span>
          ) : stored.error ? (
            <span className="bad">unreadable</span>
          ) : (
            "…"
          )}
        </Fact>
        <Fact term="Items">
          #{b.first + 1}–#{b.first + b.count}{" "}
          <span className="muted small">
            (indexes {b.first}–{b.first + b.count - 1})
          </span>
        </Fact>
        <Fact term="Count">{b.count}</Fact>
        {b.finalizesAt !== undefined && b.status === "pending" && (
          <Fact term="Challenge window ends">
            {dateTime(b.finalizesAt)} <span className="muted small">({timeLeft(b.finalizesAt, now * 1000)})</span>
          </Fact>
        )}
      </dl>
    </section>
  );
}

function SubmittedFacts({ task: t, submitted: e }: { task: TaskView; submitted: DecodedLog }) {
  const a = e.args as {
    recipient: Address;
    relayer: Address;
    count: bigint;
    reward: bigint;
    relayerFee: bigint;
    finalizesAt: bigint;
    groupRoot: bigint;
    nullifier: bigint;
    labelsCommitment: bigint;
    epk: readonly bigint[];
    ciphertext: readonly bigint[];
  };
  return (
    <section className="card" aria-labelledby="audit-event-title">
      <h2 id="audit-event-title">BatchSubmitted event</h2>
      <dl className="facts audit-facts">
        <Fact term="Recipient">
          <Hex value={a.recipient} keep={6} copy label="recipient address" />
        </Fact>
        <Fact term="Relayer (sender)">
          <Hex value={a.relayer} keep={6} copy label="relayer address" />
        </Fact>
        <Fact term="Count">{a.count.toString()}</Fact>
        <Fact term="Reward">
          <Amount value={a.reward} token={t.token} />
        </Fact>
        <Fact term="Relayer fee">
          <Amount value={a.relayerFee} token={t.token} />
        </Fact>
        <Fact term="Finalizes at">{dateTime(a.finalizesAt)}</Fact>
        <Fact term="Nullifier" wide>
          <Hex value={hex(a.nullifier)} keep={10} copy label="nullifier" />
        </Fact>
        <Fact term="Group root" wide>
          <Hex value={hex(a.groupRoot)} keep={10} copy label="group root" />
        </Fact>
        <Fact term="Labels commitment" wide>
          <Hex value={hex(a.labelsCommitment)} keep={10} copy label="labels commitment" />
        </Fact>
        <Fact term="Ephemeral key (epk)" wide>
          <ol className="audit-words">
            {a.epk.map((x, i) => (
              <li key={`epk-${i === 0 ? "x" : "y"}`}>
                <span className="muted">{i === 0 ? "x" : "y"}</span> <code>{hex(x)}</code>
              </li>
            ))}
          </ol>
        </Fact>
        <Fact term={`Ciphertext (${a.ciphertext.length} elements)`} wide>
          <ol className="audit-words">
            {a.ciphertext.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: ciphertext elements are positional and never reorder
              <li key={i}>
                <span className="muted">{i}</span> <code>{hex(x)}</code>
              </li>
            ))}
          </ol>
        </Fact>
      </dl>
      <p className="small muted">
        Only the task&apos;s requester can decrypt the ciphertext; the labels commitment binds it to the labels the
        proof checked.
      </p>
    </section>
  );
}
