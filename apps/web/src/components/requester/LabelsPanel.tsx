"use client";

import type { Box } from "@zklabel/core/bbox";
import { requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { checkManifest, type Manifest } from "@zklabel/sdk/dataset";
import { type BoxRow, labelRows, toCoco, toCsv, toJsonl } from "@zklabel/sdk/export";
import { VaultClient } from "@zklabel/sdk/vault";
import { type OpenedBatch, openSubmittedBatches } from "@zklabel/sdk/work";
import { useEffect, useId, useMemo, useState } from "react";
import type { Address } from "viem";
import { useConfig } from "wagmi";
import { signMessage } from "wagmi/actions";
import { useDeployment } from "@/components/AppShell";
import { shortAddress } from "@/lib/format";
import { downloadText, errorText, type WalletProblem } from "@/lib/requester";
import { loadManifest, saveManifest } from "@/lib/requester-store";
import { type TaskView, useEscrowLogs } from "@/lib/tasks";
import "./requester.css";

const PAGE = 200;

/** Decrypts the task's submitted batches with the requester's wallet-derived key; preview and export. */
export function LabelsPanel({
  task: t,
  account,
  problem,
}: {
  task: TaskView;
  account: Address | undefined;
  problem: WalletProblem;
}) {
  const d = useDeployment();
  const config = useConfig();
  const logs = useEscrowLogs();
  const id = useId();
  const [skR, setSkR] = useState<bigint | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [manifest, setManifest] = useState<Manifest | null | undefined>(undefined);
  const [manifestNote, setManifestNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [shown, setShown] = useState(PAGE);
  const classes = t.metadata?.rule.classes;
  const isRequester = !!account && account.toLowerCase() === t.requester.toLowerCase();

  useEffect(() => {
    let live = true;
    loadManifest(t.info.datasetRoot)
      .then((m) => live && setManifest(m))
      .catch(() => live && setManifest(null));
    return () => {
      live = false;
    };
  }, [t.info.datasetRoot]);

  // The key stays in memory for this page only; a different account must sign again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the account changes
  useEffect(() => setSkR(null), [account]);

  const opened = useMemo((): { batches: OpenedBatch[] } | { error: string } | null => {
    if (skR === null || !logs.data) return null;
    try {
      return { batches: openSubmittedBatches(logs.data, t.id, skR, t.info.batchSize, t.info.ruleId) };
    } catch (e) {
      return { error: `A batch could not be decrypted: ${errorText(e)}` };
    }
  }, [skR, logs.data, t.id, t.info.batchSize, t.info.ruleId]);
  /** Bounding-box tasks: each item's box, by dataset index. */
  const boxes = useMemo(() => {
    const m = new Map<number, Box>();
    if (opened && !("error" in opened))
      for (const b of opened.batches)
        b.boxes?.forEach((box, i) => {
          m.set(b.batchIndex * t.info.batchSize + i, box);
        });
    return m;
  }, [opened, t.info.batchSize]);

  async function exportCoco() {
    setError(null);
    try {
      // Image sizes: this browser's manifest, else the vault's public one (checked against the root).
      let sized = manifest ?? null;
      if (!sized?.items[0]?.width) {
        if (!t.metadata?.vault) throw new Error("the task names no vault to read the images' sizes from");
        sized = (await new VaultClient(t.metadata.vault).manifest(t.info.datasetRoot)).manifest;
      }
      const coco: BoxRow[] = rows.flatMap((r) => {
        const box = boxes.get(r.index);
        const item = sized?.items[r.index];
        return box && item?.width && item.height
          ? [{ index: r.index, name: r.name, width: item.width, height: item.height, box }]
          : [];
      });
      downloadText(`${base}.coco.json`, toCoco(coco, classes ?? []), "application/json");
    } catch (e) {
      setError(`The COCO export failed: ${errorText(e)}`);
    }
  }

  const rows = useMemo(() => {
    if (!opened || "error" in opened) return [];
    return labelRows(opened.batches, t.info.batchSize, manifest ?? null, classes).map((r) => ({
      ...r,
      name: r.name || `#${r.index}`,
    }));
  }, [opened, t.info.batchSize, manifest, classes]);

  async function decrypt() {
    setError(null);
    if (!account || problem) {
      setError(
        problem === "wrong-chain"
          ? `Switch your wallet to chain ${d.chainId} first, then decrypt.`
          : "Connect the wallet that posted this task (top right), then decrypt.",
      );
      return;
    }
    if (!isRequester) {
      setError(
        `This task was posted by ${shortAddress(t.requester)}, and you are connected as ${shortAddress(account)}: only the account that posted it can derive its key. Switch accounts and decrypt again.`,
      );
      return;
    }
    const nonce = t.metadata?.keyNonce;
    if (!nonce) {
      setError(
        "This task's metadata names no key nonce, so its key cannot be derived from your wallet here: it was posted by another tool; decrypt its labels with the key you used there (for example with the zklabel CLI).",
      );
      return;
    }
    setBusy(true);
    try {
      const sig = await signMessage(config, {
        account,
        message: requesterKeyMessage(BigInt(d.chainId), d.escrow, BigInt(nonce)),
      });
      const key = requesterKeyFromSignature(sig);
      if (key.pkR[0] !== t.info.pkR[0] || key.pkR[1] !== t.info.pkR[1]) {
        throw new Error(
          "your wallet's signature gives a different key from the one this task was posted with (a wallet that does not sign deterministically, or a different account): the labels cannot be decrypted with it",
        );
      }
      setSkR(key.skR);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function importManifest(file: File) {
    setManifestNote(null);
    try {
      const { manifest: m } = checkManifest(JSON.parse(await file.text()));
      if (BigInt(m.root) !== t.info.datasetRoot)
        throw new Error(`this manifest is for dataset ${m.root}, not this task's dataset`);
      setManifest(m);
      await saveManifest(m).catch(() => {});
      setManifestNote({ ok: true, text: `Item names loaded from ${file.name}.` });
    } catch (e) {
      setManifestNote({ ok: false, text: `${file.name} was not used: ${errorText(e)}` });
    }
  }

  const submitted = t.batches.filter((b) => b.status !== "open").length;
  const base = `task-${t.id}-labels`;
  const status = (index: number) => t.batches[Math.floor(index / t.info.batchSize)]?.status ?? "open";
  return (
    <section className="card" aria-labelledby="labels-heading">
      <div className="section-head">
        <h2 id="labels-heading">Labels</h2>
        <span className="muted small">
          {submitted} of {t.batches.length} batch{t.batches.length === 1 ? "" : "es"} submitted
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
          Decrypted {rows.length} label{rows.length === 1 ? "" : "s"}
          {opened && !("error" in opened)
            ? ` from ${opened.batches.length} batch${opened.batches.length === 1 ? "" : "es"}`
            : ""}
          ; new batches appear here as they arrive.
        </p>
      )}
      {error && (
        <p className="error small" role="alert" data-testid="decrypt-error">
          {error}
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
              disabled={t.rule !== "bbox" || rows.length === 0}
              aria-describedby={t.rule === "bbox" ? undefined : `${id}-coco`}
              onClick={() => void exportCoco()}
            >
              Export COCO
            </button>
            {t.rule !== "bbox" && (
              <span id={`${id}-coco`} className="small muted">
                COCO holds bounding boxes; this task's labels are not boxes.
              </span>
            )}
          </div>
          {manifest === null && (
            <div className="rq-manifest-note">
              <p className="small muted">
                This browser does not have the dataset's file names (it was posted from another browser), so items are
                named by position (#index). Import the dataset's manifest to see the names.
              </p>
              <label className="field" htmlFor={`${id}-manifest`}>
                <span>Dataset manifest (JSON)</span>
                <input
                  id={`${id}-manifest`}
                  type="file"
                  accept=".json,application/json"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    e.target.value = "";
                    if (f) void importManifest(f);
                  }}
                />
              </label>
            </div>
          )}
          {manifestNote && (
            <p className={`small ${manifestNote.ok ? "ok" : "error"}`} role={manifestNote.ok ? "status" : "alert"}>
              {manifestNote.text}
            </p>
          )}
          {rows.length === 0 ? (
            <p className="muted small">No batch has been submitted yet.</p>
          ) : (
            <div className="rq-table-wrap">
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
                      <td className="rq-num">{r.index}</td>
                      <td className="rq-name">{r.name}</td>
                      <td className="rq-num">{Math.floor(r.index / t.info.batchSize)}</td>
                      <td>
                        <span className={`badge ${status(r.index) === "verified" ? "ok" : ""}`}>{status(r.index)}</span>
                      </td>
                      <td data-box={boxes.get(r.index) ? JSON.stringify(boxes.get(r.index)) : undefined}>
                        {r.className ?? `class ${r.label}`} <span className="muted small">({r.label})</span>
                        {boxes.get(r.index) && (
                          <span className="small muted">
                            {" "}
                            box {boxes.get(r.index)?.x},{boxes.get(r.index)?.y} {boxes.get(r.index)?.w}×
                            {boxes.get(r.index)?.h}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
