"use client";
/**
 * The requester's verified dataset: whether the escrow recorded the task as complete (and the
 * transaction that marks it so, which anyone may send once the task closed with none pending), and the
 * export that a model trainer can check against the chain alone (docs/verified-dataset.md): labels as
 * JSONL (COCO for boxes and polygons), a dataset card and the provenance of every batch, as one .zip.
 */
import { buildVerifiedExport } from "@zklabel/sdk/verified-dataset";
import { zipFiles } from "@zklabel/sdk/zip";
import { useMemo, useState } from "react";
import type { Address, PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { useTransaction } from "@/lib/client";
import { useDeployment } from "@/lib/deployment";
import { downloadBytes } from "@/lib/download";
import { messageFor } from "@/lib/errors";
import { plural } from "@/lib/format";
import type { RequesterKey } from "@/lib/requester-key";
import { type TaskView, useEscrowLogs } from "@/lib/tasks";
import { useTaskManifest } from "./NamedManifest";

export function VerifiedDataset(props: {
  task: TaskView;
  requesterKey: RequesterKey;
  account: Address | undefined;
  isRequester: boolean;
  blocked: string | null;
  /** The chain's clock (unix seconds). */
  chainNow: number;
  onChanged(): void;
}) {
  const t = props.task;
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId }) as PublicClient | undefined;
  const logs = useEscrowLogs();
  const { skR, busy: deriving, derive } = props.requesterKey;
  const manifests = useTaskManifest(t, skR !== null);
  const classes = useMemo(
    () => (t.rule ? t.rule.classNames(t.rule.decodeParams(t.info.ruleParams), t.metadata?.rule.classes) : []),
    [t],
  );
  const tx = useTransaction<"complete">();
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const pending = t.batches.filter((b) => b.status === "pending").length;
  const closed = props.chainNow > Number(t.closesAt);
  const canComplete = !t.completed && closed && pending === 0 && t.verifiedItems > 0;
  const completion = t.completed?.args as { verifiedItems: number; itemCount: number } | undefined;

  async function exportZip() {
    setError(null);
    setExported(null);
    setExporting(true);
    try {
      if (!client || !logs.data) throw new Error("the chain's events are still loading: try again in a moment");
      if (skR === null) throw new Error("decrypt the labels first (your wallet signs once)");
      // Item names from this browser's named manifest when it has one (and image sizes when COCO needs them).
      const manifest =
        manifests.named && (!t.rule?.toCoco || manifests.named.items[0]?.width)
          ? manifests.named
          : await manifests.sized();
      const out = await buildVerifiedExport({
        client,
        chainId: d.chainId,
        escrow: d.escrow as Address,
        taskId: t.id,
        logs: logs.data,
        skR,
        manifest,
        classes,
      });
      downloadBytes(`task-${t.id}-verified-dataset.zip`, zipFiles(out.folder), "application/zip");
      setExported(
        `Exported ${plural(out.labels, "label")} from ${plural(out.batches, "verified batch", "verified batches")}${
          out.excluded.length ? ` (left out, not verified: ${plural(out.excluded.length, "batch", "batches")})` : ""
        }.`,
      );
    } catch (e) {
      setError(`The export failed: ${messageFor(e)}`);
    } finally {
      setExporting(false);
    }
  }

  return (
    <section className="card" aria-labelledby="verified-heading">
      <div className="section-head">
        <h2 id="verified-heading">Verified dataset</h2>
        <span className="small" data-testid="completion" data-complete={t.completed ? "true" : "false"}>
          {t.completed
            ? `complete: ${completion?.verifiedItems ?? t.verifiedItems} of ${t.info.itemCount} items verified`
            : "not complete yet"}
        </span>
      </div>
      <p className="small muted">
        {t.completed
          ? "The escrow recorded this task as complete: its verified batches are final, and the completion event commits to each batch's labels."
          : closed
            ? pending > 0
              ? `The task is closed; ${plural(pending, "batch is", "batches are")} still pending. Once finalized (or rejected), anyone can mark the task complete.`
              : t.verifiedItems > 0
                ? "The task is closed: mark it complete to record its verified batches as final on-chain."
                : "The task closed with no verified batch: there is no dataset to complete."
            : "The task completes by itself when its last batch is verified, or can be marked complete by anyone once it closes."}
      </p>
      {canComplete && (
        <button
          type="button"
          className="btn"
          data-testid="complete-task"
          disabled={tx.busy !== null || props.blocked !== null}
          onClick={() =>
            void tx.send("complete", (c) => c.complete(t.id), {
              done: "The task is recorded as complete.",
              onSent: props.onChanged,
            })
          }
        >
          {tx.busy === "complete" ? "Marking complete…" : "Mark complete"}
        </button>
      )}
      {tx.done && (
        <p className="ok small" role="status">
          {tx.done}
        </p>
      )}
      {tx.error && (
        <p className="error small" role="alert">
          {tx.error}
        </p>
      )}
      {props.isRequester && t.verifiedItems > 0 && (
        <>
          <p className="small">
            The export holds the labels (JSONL{t.rule?.toCoco ? ", and COCO" : ""}), a dataset card, and per batch the
            salt that opens its on-chain label commitment, its proof and its transaction: anyone can check it against
            the chain with <code>zklabel dataset verify</code> or the auditor&apos;s page.{" "}
            <strong>Publishing it makes these labels public.</strong>
          </p>
          {skR === null ? (
            <button type="button" className="btn" disabled={deriving} onClick={() => void derive()}>
              {deriving ? "Waiting for the signature…" : "Decrypt labels to export"}
            </button>
          ) : (
            <button
              type="button"
              className="btn primary"
              data-testid="export-verified"
              disabled={exporting || !logs.data}
              onClick={() => void exportZip()}
            >
              {exporting ? "Exporting…" : "Export verified dataset (.zip)"}
            </button>
          )}
        </>
      )}
      {exported && (
        <p className="ok small" role="status" data-testid="export-verified-done">
          {exported}
        </p>
      )}
      {error && (
        <p className="error small" role="alert" data-testid="export-verified-error">
          {error}
        </p>
      )}
    </section>
  );
}
