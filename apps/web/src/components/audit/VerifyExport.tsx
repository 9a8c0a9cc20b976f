"use client";
/**
 * /audit/verify: a verified-dataset export (the folder `zklabel dataset export` writes, or the .zip the
 * requester's page downloads) checked in this browser against the chain alone, as `zklabel dataset
 * verify` checks it: every label opens its batch's on-chain commitment, every proof verifies with the
 * task's verifier contract, every item sits under the dataset root, and the batch set is the one the
 * completion event commits to. Nothing dropped here leaves the browser.
 */
import { describeError } from "@zklabel/sdk/errors";
import { type VerifyCheck, type VerifyReport, verifyVerifiedExport } from "@zklabel/sdk/verified-dataset";
import { unzipFiles } from "@zklabel/sdk/zip";
import { type DragEvent, useState } from "react";
import type { Address, PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { useDeployment } from "@/lib/deployment";
import { plural } from "@/lib/format";
import "./audit.css";

type State =
  | { status: "idle" }
  | { status: "checking"; what: string }
  | { status: "done"; what: string; report: VerifyReport }
  | { status: "error"; message: string };

/** The files of a dropped or chosen folder (paths relative to it) or of one .zip. */
async function folderOf(files: readonly File[]): Promise<Map<string, Uint8Array>> {
  if (files.length === 1 && /\.zip$/i.test(files[0].name)) {
    return unzipFiles(new Uint8Array(await files[0].arrayBuffer()));
  }
  const out = new Map<string, Uint8Array>();
  for (const f of files) {
    // A chosen folder's files carry "folder/path"; the folder's own name is taken off.
    const rel = (f as File & { relativePath?: string }).relativePath || f.webkitRelativePath || f.name;
    const path = rel.includes("/") ? rel.slice(rel.indexOf("/") + 1) : rel;
    out.set(path, new Uint8Array(await f.arrayBuffer()));
  }
  return out;
}

/** Every file under a dropped directory entry, with its path from that directory. */
async function entryFiles(entry: FileSystemEntry, prefix = ""): Promise<File[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    return [Object.assign(file, { relativePath: `${prefix}${file.name}` })];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((c) => entryFiles(c, `${prefix}${entry.name}/`)));
  return nested.flat();
}

export function VerifyExport() {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId }) as PublicClient | undefined;
  const [state, setState] = useState<State>({ status: "idle" });
  const [over, setOver] = useState(false);

  async function check(files: readonly File[], what: string) {
    if (files.length === 0) return;
    setState({ status: "checking", what });
    try {
      if (!client) throw new Error(`no connection to chain ${d.chainId}: check that the chain is running`);
      const folder = await folderOf(files);
      const report = await verifyVerifiedExport(folder, client, { expectedEscrow: d.escrow as Address });
      setState({ status: "done", what, report });
    } catch (e) {
      setState({ status: "error", message: describeError(e).message });
    }
  }

  async function onDrop(e: DragEvent<HTMLLabelElement>) {
    e.preventDefault();
    setOver(false);
    const entries = [...e.dataTransfer.items]
      .map((i) => i.webkitGetAsEntry?.())
      .filter((x): x is FileSystemEntry => !!x);
    const dir = entries.length === 1 && entries[0].isDirectory ? entries[0] : undefined;
    if (dir) await check(await entryFiles(dir), `the folder ${dir.name}`);
    else await check([...e.dataTransfer.files], plural(e.dataTransfer.files.length, "file"));
  }

  return (
    <>
      <header className="audit-head">
        <p className="eyebrow">Audit · no wallet needed</p>
        <h1>Verify a labeled dataset</h1>
        <p className="muted audit-lead">
          Drop the folder (or the .zip) a requester exported from a task. This page checks it against chain {d.chainId}{" "}
          alone: each label against its batch&apos;s on-chain commitment, each proof with the task&apos;s verifier
          contract, each item against the dataset root, and the batch set against the completion event. Nothing you drop
          here leaves your browser.
        </p>
      </header>
      <section className="card" aria-labelledby="verify-drop-title">
        <h2 id="verify-drop-title">Export</h2>
        <label
          className={`audit-drop${over ? " over" : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => void onDrop(e)}
        >
          <span className="audit-drop-text">Drop the export folder or its .zip here, or choose the .zip:</span>
          <input
            type="file"
            accept=".zip,application/zip"
            data-testid="verify-zip-input"
            onChange={(e) => {
              const f = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = "";
              void check(f, f[0]?.name ?? "");
            }}
          />
        </label>
        <label className="small">
          or choose the folder:{" "}
          <input
            type="file"
            data-testid="verify-folder-input"
            // @ts-expect-error: a non-standard attribute every current browser supports (a folder picker)
            webkitdirectory=""
            multiple
            onChange={(e) => {
              const f = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = "";
              void check(f, "the folder");
            }}
          />
        </label>
        <div aria-live="polite">
          {state.status === "checking" && (
            <p className="muted small" role="status">
              Checking {state.what} against the chain…
            </p>
          )}
          {state.status === "error" && (
            <p className="error" role="alert" data-testid="verify-error">
              {state.message}
            </p>
          )}
        </div>
      </section>
      {state.status === "done" && <Report report={state.report} what={state.what} />}
    </>
  );
}

function Mark({ check, testId }: { check: VerifyCheck; testId?: string }) {
  const word = check.skipped ? "not checked" : check.ok ? "pass" : "fail";
  return (
    <td data-testid={testId} data-ok={check.ok ? "true" : "false"}>
      <span className={`audit-result ${check.skipped ? "" : check.ok ? "yes" : "no"}`}>{word}</span>{" "}
      <span className="small">{check.detail}</span>
    </td>
  );
}

function Report({ report: r, what }: { report: VerifyReport; what: string }) {
  const failed = r.batches.filter((b) => !(b.checks.commitment.ok && b.checks.proof.ok && b.checks.items.ok)).length;
  return (
    <section className="card" aria-labelledby="verify-report-title">
      <div className="section-head">
        <h2 id="verify-report-title">Report</h2>
        <span
          className={`audit-result ${r.ok ? "yes" : "no"}`}
          data-testid="verify-result"
          data-ok={r.ok ? "true" : "false"}
        >
          {r.ok
            ? `Verified: task ${r.taskId}, ${plural(r.batches.length, "batch", "batches")}, every check passes`
            : `Not verified: ${failed ? plural(failed, "batch fails", "batches fail") : "a task-level check fails"}`}
        </span>
      </div>
      <p className="small muted">
        {what}: task {r.taskId} of escrow <code>{r.escrow}</code> on chain {r.chainId}.
      </p>
      <table className="audit-table">
        <caption className="visually-hidden">Task-level checks</caption>
        <tbody>
          <tr>
            <th scope="row">Chain and task</th>
            <Mark check={r.chain} testId="verify-chain" />
          </tr>
          <tr>
            <th scope="row">Batch set</th>
            <Mark check={r.batchSet} testId="verify-batch-set" />
          </tr>
          <tr>
            <th scope="row">Completion event</th>
            <Mark check={r.completion} testId="verify-completion" />
          </tr>
        </tbody>
      </table>
      {r.batches.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must take keyboard focus to be scrolled from the keyboard (axe scrollable-region-focusable)
        <section className="audit-table-wrap" tabIndex={0} aria-label="Checks per batch">
          <table className="audit-table">
            <caption className="visually-hidden">Checks per batch</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Labels open the commitment</th>
                <th scope="col">Proof verifies</th>
                <th scope="col">Items under the root</th>
              </tr>
            </thead>
            <tbody>
              {r.batches.map((b) => (
                <tr key={b.batchIndex} data-testid={`verify-batch-${b.batchIndex}`}>
                  <th scope="row" title={b.transaction}>
                    {b.batchIndex}
                  </th>
                  <Mark check={b.checks.commitment} />
                  <Mark check={b.checks.proof} />
                  <Mark check={b.checks.items} />
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
