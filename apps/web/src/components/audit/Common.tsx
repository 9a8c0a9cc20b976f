"use client";
/** Small pieces shared by the auditor pages: hex values with a copy button, token amounts, page states, breadcrumbs. */
import Link from "next/link";
import { type ReactNode, useEffect, useState } from "react";
import { type Address, formatUnits } from "viem";
import { shortHex } from "@/lib/audit";
import { type ReadSource, sourceText, type TaskView } from "@/lib/tasks";
import { useTokenUnit } from "./hooks";
import "./audit.css";

/** A long hex value shown shortened (the full value in its title and for screen readers), with an optional copy button. */
export function Hex({
  value,
  keep = 6,
  copy = false,
  label,
}: {
  value: string;
  keep?: number;
  copy?: boolean;
  label?: string;
}) {
  const short = shortHex(value, keep);
  return (
    <span className="audit-hex">
      <code title={value}>
        {short === value ? (
          value
        ) : (
          <>
            <span aria-hidden="true">{short}</span>
            <span className="visually-hidden">{value}</span>
          </>
        )}
      </code>
      {copy && <CopyButton value={value} label={label ?? "value"} />}
    </span>
  );
}

/** Copies `value` to the clipboard and says so. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const id = setTimeout(() => setState("idle"), 1800);
    return () => clearTimeout(id);
  }, [state]);
  return (
    <button
      type="button"
      className="btn ghost small audit-copy"
      aria-label={`Copy ${label}`}
      onClick={() =>
        navigator.clipboard?.writeText(value).then(
          () => setState("copied"),
          () => setState("failed"),
        ) ?? setState("failed")
      }
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}</span>
    </button>
  );
}

/** An amount of a task's token (ETH or an ERC-20's units). */
export function Amount({ value, token }: { value: bigint; token: Address }) {
  const unit = useTokenUnit(token);
  return (
    <span className="audit-amount">
      {formatUnits(value, unit.decimals)} {unit.symbol}
    </span>
  );
}

/** "Loading…" for a part of a page. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** A problem the page cannot get past, in a card, with what to do. */
export function Problem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card audit-problem" role="alert">
      <h1>{title}</h1>
      <div>{children}</div>
    </section>
  );
}

/** A route's task once it is read: until then its read error (with Try again), "Loading…" or "no such task". */
export function TaskLoaded({
  id,
  task,
  loading,
  error,
  refetch,
  children,
}: {
  id: bigint;
  task: TaskView | null | undefined;
  loading: boolean;
  error: string | undefined;
  refetch(): unknown;
  children(task: TaskView): ReactNode;
}) {
  if (error) {
    return (
      <Problem title={`Task ${id} could not be read`}>
        <p>{error}. Check that the chain is running, then try again.</p>
        <button type="button" className="btn small" onClick={() => refetch()}>
          Try again
        </button>
      </Problem>
    );
  }
  if (loading || task === undefined) return <Loading what={`task ${id}`} />;
  if (task === null) {
    return (
      <Problem title={`There is no task ${id} on this chain`}>
        <p>
          No TaskCreated event has this id. Pick a task from the <Link href="/audit">list of all tasks</Link>.
        </p>
      </Problem>
    );
  }
  return children(task);
}

/** The trail back to the audit list (and the task, on a batch page). */
export function Crumbs({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="audit-crumbs">
      <ol>
        {items.map((it) => (
          <li key={it.label}>
            {it.href ? <Link href={it.href}>{it.label}</Link> : <span aria-current="page">{it.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** One fact of a `dl.facts` list. */
export function Fact({ term, children, wide }: { term: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? "audit-fact-wide" : undefined}>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Where the page's data came from: the indexer, or the escrow's events directly (and why). */
export function SourceNote({ source }: { source: ReadSource | undefined }) {
  if (!source) return null;
  return (
    <p className="muted small" data-testid="audit-source" data-source={source.kind}>
      {sourceText(source)}
    </p>
  );
}
