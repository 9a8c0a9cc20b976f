"use client";
/** Every event of a task in chain order, with block, time and transaction. */
import type { DecodedLog } from "@zklabel/sdk/events";
import Link from "next/link";
import type { Address } from "viem";
import { eventBatch, eventKey } from "@/lib/audit";
import { plural, shortAddress } from "@/lib/format";
import type { TaskView } from "@/lib/tasks";
import { dateTime } from "@/lib/time";
import { Amount, Hex } from "./Common";

/** The task's timeline: TaskCreated, TaskFunded, BatchSubmitted, BatchVerified, TaskCancelled, TaskRefunded. */
export function Timeline({ task: t, blockTime }: { task: TaskView; blockTime: ReadonlyMap<bigint, number> }) {
  return (
    <section className="card" aria-labelledby="audit-timeline-title">
      <div className="section-head">
        <h2 id="audit-timeline-title">Timeline</h2>
        <span className="muted small">
          {t.events.length} {t.events.length === 1 ? "event" : "events"}, oldest first
        </span>
      </div>
      <ol className="audit-timeline" data-testid="audit-timeline">
        {t.events.map((e) => {
          const time = blockTime.get(e.blockNumber);
          return (
            <li key={eventKey(e)} className={`audit-event audit-event-${e.eventName}`} data-event={e.eventName}>
              <div className="audit-event-main">
                <span className="badge audit-event-name">{e.eventName}</span>
                <span>
                  <EventText task={t} e={e} />
                </span>
              </div>
              <div className="audit-event-meta small muted">
                <span>block {e.blockNumber.toString()}</span>
                <span>
                  {time === undefined ? (
                    "time …"
                  ) : (
                    <time dateTime={new Date(time * 1000).toISOString()}>{dateTime(time)}</time>
                  )}
                </span>
                <span>
                  tx <Hex value={e.transactionHash ?? ""} keep={6} />
                </span>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const who = (a: unknown) => <code title={String(a)}>{shortAddress(String(a))}</code>;

function BatchLink({ task, e }: { task: TaskView; e: DecodedLog }) {
  const b = eventBatch(e);
  return <Link href={`/audit/${task.id}/batch/${b}`}>batch {b}</Link>;
}

function EventText({ task: t, e }: { task: TaskView; e: DecodedLog }) {
  const a = e.args;
  const money = (v: unknown) => <Amount value={v as bigint} token={t.token as Address} />;
  switch (e.eventName) {
    case "TaskCreated":
      return (
        <>
          Created by {who(a.requester)}: {plural(t.info.itemCount, "item")} in{" "}
          {plural(t.batches.length, "batch", "batches")}, {money(t.info.rewardPerItem)} per item.
        </>
      );
    case "TaskFunded":
      return (
        <>
          {who(a.from)} added {money(a.amount)}; the task holds {money(a.balance)}.
        </>
      );
    case "BatchSubmitted":
      return (
        <>
          Proof of <BatchLink task={t} e={e} /> accepted ({plural(Number(a.count), "item")}, reward {money(a.reward)} to{" "}
          {who(a.recipient)}
          {(a.relayerFee as bigint) > 0n && <>, relayer fee {money(a.relayerFee)}</>}).
        </>
      );
    case "BatchVerified":
      return (
        <>
          <BatchLink task={t} e={e} /> verified: {money(a.recipientAmount)} credited to {who(a.recipient)}
          {(a.relayerAmount as bigint) > 0n && (
            <>
              {" "}
              and {money(a.relayerAmount)} to relayer {who(a.relayer)}
            </>
          )}
          .
        </>
      );
    case "TaskCancelled":
      return <>Cancelled by the requester; {money(a.refunded)} refunded.</>;
    case "TaskRefunded":
      return (
        <>
          {money(a.amount)} refunded to {who(a.requester)}.
        </>
      );
    default:
      return <>{e.eventName}</>;
  }
}
