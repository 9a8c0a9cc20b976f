"use client";
/** The requester's labels: decrypted in the browser with the wallet-derived key, shown, exported. */
import { itemNumber } from "@zklabel/core/display";
import type { AnyRule } from "@zklabel/core/rules";
import { exportsCoco, labelRows, toCoco, toCsv, toJsonl } from "@zklabel/sdk/export";
import { type OpenedBatch, openSubmittedBatches } from "@zklabel/sdk/open";
import { useId, useMemo, useState } from "react";
import { downloadText } from "@/lib/download";
import { messageFor } from "@/lib/errors";
import { plural } from "@/lib/format";
import type { RequesterKey } from "@/lib/requester-key";
import { type TaskView, useEscrowLogs } from "@/lib/tasks";
import { NamedManifest, useTaskManifest } from "./NamedManifest";
import "./requester.css";

const PAGE = 200;

/** Decrypts the task's submitted batches with the requester's wallet-derived key; preview and export. */
export function LabelsPanel({
  task: t,
  rule,
  requesterKey,
}: {
  task: TaskView;
  rule: AnyRule;
  requesterKey: RequesterKey;
}) {
  const logs = useEscrowLogs();
  const id = useId();
  const { skR, busy, derive: decrypt } = requesterKey;
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const manifests = useTaskManifest(t, skR !== null);
  const classes = useMemo(
    () => rule.classNames(rule.decodeParams(t.info.ruleParams), t.metadata?.rule.classes),
    [rule, t.info.ruleParams, t.metadata],
  );

  const opened = useMemo((): { batches: OpenedBatch[] } | { error: string } | null => {
    if (skR === null || !logs.data) return null;
    try {
      // Rejected submissions are not the task's labels: only the current submission of each batch.
      return {
        batches: openSubmittedBatches(logs.data, t.id, skR, t.info.batchSize, t.info.ruleId),
      };
    } catch (e) {
      return { error: `A batch could not be decrypted: ${messageFor(e)}` };
    }
  }, [skR, logs.data, t]);
  const batches = opened && "batches" in opened ? opened.batches : [];

  /** Each item's label, by dataset index (what the table shows beside the export's columns). */
  const byItem = useMemo(() => {
    const m = new Map<number, unknown>();
    for (const b of batches) for (const [i, l] of b.labels.entries()) m.set(b.batchIndex * t.info.batchSize + i, l);
    return m;
  }, [batches, t.info.batchSize]);

  const rows = useMemo(
    () =>
      labelRows(rule, batches, t.info.batchSize, manifests.best, classes).map((r) => ({
        ...r,
        name: r.name || `#${itemNumber(r.index)}`,
      })),
    [rule, batches, t.info.batchSize, manifests.best, classes],
  );

  async function exportCoco() {
    setError(null);
    try {
      // Image sizes: the named manifest, else the vault's public one (checked against the root).
      const sized = await manifests.sized();
      downloadText(`${base}.coco.json`, toCoco(rule, batches, t.info.batchSize, sized, classes), "application/json");
    } catch (e) {
      setError(`The COCO export failed: ${messageFor(e)}`);
    }
  }

  const submitted = t.batches.filter((b) => b.status !== "open").length;
  const base = `task-${t.id}-labels`;
  const status = (index: number) => t.batches[Math.floor(index / t.info.batchSize)]?.status ?? "open";
  const coco = exportsCoco(rule);
  return (
    <section className="card" aria-labelledby="labels-heading">
      <div className="section-head">
        <h2 id="labels-heading">Labels</h2>
        <span className="muted small">
          {submitted} of {plural(t.batches.length, "batch", "batches")} submitted
        </span>
      </div>
      <p className="small muted">
        Labels are encrypted to your key on-chain. Decrypting asks your wallet for the same free signature you gave when
        posting; nothing leaves this browser.
      </p>
      {skR === null ? (
        <button
          type="button"
          className="btn primary"
          data-testid="decrypt-labels"
          disabled={busy}
          onClick={() => void decrypt()}
        >
          {busy ? "Waiting for the signature…" : "Decrypt labels"}
        </button>
      ) : (
        <p className="ok small" role="status" data-testid="labels-decrypted" data-rows={rows.length}>
          Decrypted {plural(rows.length, "label")}
          {opened && "batches" in opened ? ` from ${plural(opened.batches.length, "batch", "batches")}` : ""}; new
          batches appear here as they arrive.
        </p>
      )}
      {(requesterKey.error ?? error) && (
        <p className="error small" role="alert" data-testid="decrypt-error">
          {requesterKey.error ?? error}
        </p>
      )}
      {opened && "error" in opened && (
        <p className="error small" role="alert">
          {opened.error}
        </p>
      )}

      {skR !== null && (
        <>
          <div className="rq-actions rq-export">
            <button
              type="button"
              className="btn small"
              data-testid="export-jsonl"
              disabled={rows.length === 0}
              onClick={() => downloadText(`${base}.jsonl`, toJsonl(rows), "application/x-ndjson")}
            >
              Export JSONL
            </button>
            <button
              type="button"
              className="btn small"
              data-testid="export-csv"
              disabled={rows.length === 0}
              onClick={() => downloadText(`${base}.csv`, toCsv(rows), "text/csv")}
            >
              Export CSV
            </button>
            <button
              type="button"
              className="btn small"
              data-testid="export-coco"
              disabled={!coco || rows.length === 0}
              aria-describedby={coco ? undefined : `${id}-coco`}
              onClick={() => void exportCoco()}
            >
              Export COCO
            </button>
            {!coco && (
              <span id={`${id}-coco`} className="small muted">
                COCO holds bounding boxes; this task&apos;s labels are not boxes.
              </span>
            )}
          </div>
          <NamedManifest task={t} manifests={manifests} />
          {rows.length === 0 ? (
            <p className="muted small">No batch has been submitted yet.</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling table must take keyboard focus to be scrolled from the keyboard (axe scrollable-region-focusable)
            <section className="rq-table-wrap" tabIndex={0} aria-label="Decrypted labels, scrollable">
              <table className="rq-table" data-testid="labels-table" aria-label="Decrypted labels">
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Name</th>
                    <th scope="col">Batch</th>
                    <th scope="col">State</th>
                    <th scope="col">Label</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, shown).map((r) => (
                    <tr
                      key={r.index}
                      data-testid={`label-row-${r.index}`}
                      data-label={r.label}
                      data-class-name={r.className ?? ""}
                    >
                      <td className="rq-num">{itemNumber(r.index)}</td>
                      <td className="rq-name">{r.name}</td>
                      <td className="rq-num">{Math.floor(r.index / t.info.batchSize)}</td>
                      <td>
                        <span className={`badge ${status(r.index) === "verified" ? "ok" : ""}`}>{status(r.index)}</span>
                      </td>
                      <td data-value={JSON.stringify(byItem.get(r.index))}>
                        {rule.showLabel(byItem.get(r.index), classes)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {rows.length > shown && (
            <button type="button" className="btn small" onClick={() => setShown((s) => s + PAGE)}>
              Show {Math.min(PAGE, rows.length - shown)} more of {rows.length - shown}
            </button>
          )}
        </>
      )}
    </section>
  );
}
