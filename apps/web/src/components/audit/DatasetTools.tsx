"use client";
/** The task's dataset from its vault: download the manifest, or check whether a file is one of its items. */
import { useQueryClient } from "@tanstack/react-query";
import type { DatasetTree } from "@zklabel/core/merkle";
import { findItem, type Manifest } from "@zklabel/sdk/dataset";
import { describeError } from "@zklabel/sdk/errors";
import { VaultClient } from "@zklabel/sdk/vault";
import { type DragEvent, useCallback, useEffect, useRef, useState } from "react";
import { manifestFileName } from "@/lib/audit";
import { plural } from "@/lib/format";
import type { TaskView } from "@/lib/tasks";

/** Manifest download and the "is this file in the dataset?" check, side by side. */
export function DatasetTools({ task }: { task: TaskView }) {
  return (
    <section className="card" aria-labelledby="audit-dataset-title">
      <h2 id="audit-dataset-title">Dataset</h2>
      <p className="muted small">
        The manifest lists every item&apos;s content hash; it is fetched from the task&apos;s vault
        {task.metadata?.vault ? (
          <>
            {" "}
            (<code>{task.metadata.vault}</code>)
          </>
        ) : null}{" "}
        and checked against the dataset root on-chain before anything is shown. Nothing you drop here leaves your
        browser.
      </p>
      <div className="audit-dataset">
        <ManifestDownload task={task} />
        <FileCheck task={task} />
      </div>
    </section>
  );
}

/** A task's manifest, checked against its on-chain dataset root. */
interface LoadedManifest {
  manifest: Manifest;
  tree: DatasetTree;
  vault: string;
}

/**
 * Loads the task's manifest from the vault its metadata names (once; later calls reuse it).
 * Throws an Error whose message says what is wrong and what to do.
 */
function useManifestLoader(task: TaskView): () => Promise<LoadedManifest> {
  const qc = useQueryClient();
  const vault = task.metadata?.vault;
  const root = task.info.datasetRoot;
  return useCallback(async () => {
    if (!vault) {
      throw new Error(
        `Task ${task.id} names no data vault in its metadata, so its manifest cannot be fetched: ask the requester for the manifest file.`,
      );
    }
    return qc.fetchQuery({
      queryKey: ["audit-manifest", vault, root.toString()],
      staleTime: Number.POSITIVE_INFINITY,
      retry: false,
      queryFn: async () => {
        try {
          const { manifest, tree } = await new VaultClient(vault).manifest(root);
          return { manifest, tree, vault };
        } catch (e) {
          throw new Error(
            `The manifest of task ${task.id} could not be loaded from ${vault}: ${describeError(e).message}. Check that the vault is running and try again.`,
          );
        }
      },
    });
  }, [qc, vault, root, task.id]);
}

type DownloadState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "ready"; url: string; count: number }
  | { status: "error"; message: string };

function ManifestDownload({ task }: { task: TaskView }) {
  const load = useManifestLoader(task);
  const [state, setState] = useState<DownloadState>({ status: "idle" });
  const link = useRef<HTMLAnchorElement>(null);
  const url = state.status === "ready" ? state.url : undefined;
  useEffect(() => {
    if (!url) return;
    link.current?.click();
    return () => URL.revokeObjectURL(url);
  }, [url]);

  const download = async () => {
    setState({ status: "loading" });
    try {
      const { manifest } = await load();
      const blob = new Blob([`${JSON.stringify(manifest, null, 2)}\n`], { type: "application/json" });
      setState({ status: "ready", url: URL.createObjectURL(blob), count: manifest.count });
    } catch (e) {
      setState({ status: "error", message: describeError(e).message });
    }
  };

  return (
    <div className="audit-tool">
      <h3>Manifest</h3>
      <p className="small muted">A JSON file with every item&apos;s content hash and the tree&apos;s shape.</p>
      <button
        type="button"
        className="btn primary"
        data-testid="manifest-download"
        onClick={download}
        disabled={state.status === "loading"}
      >
        {state.status === "loading" ? "Fetching the manifest…" : "Download manifest"}
      </button>
      <div aria-live="polite">
        {state.status === "ready" && (
          <p className="note small">
            Manifest checked against the dataset root: {plural(state.count, "item")}.{" "}
            <a ref={link} href={state.url} download={manifestFileName(task.id)} data-testid="manifest-link">
              Save {manifestFileName(task.id)}
            </a>
          </p>
        )}
        {state.status === "error" && (
          <p className="error" role="alert" data-testid="manifest-error">
            {state.message}
          </p>
        )}
      </div>
    </div>
  );
}

type CheckState =
  | { status: "idle" }
  | { status: "checking"; file: string }
  | { status: "done"; file: string; found: { index: number; batch: number } | null }
  | { status: "error"; message: string };

function FileCheck({ task }: { task: TaskView }) {
  const load = useManifestLoader(task);
  const [state, setState] = useState<CheckState>({ status: "idle" });
  const [over, setOver] = useState(false);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setState({ status: "checking", file: file.name });
    try {
      const [bytes, { manifest, tree }] = await Promise.all([
        file.arrayBuffer().then((b) => new Uint8Array(b)),
        load(),
      ]);
      const hit = findItem(manifest, tree, bytes);
      setState({ status: "done", file: file.name, found: hit && { index: hit.index, batch: hit.batch } });
    } catch (e) {
      setState({ status: "error", message: describeError(e).message });
    }
  };

  const onDrop = (e: DragEvent<HTMLLabelElement>) => {
    e.preventDefault();
    setOver(false);
    void check(e.dataTransfer.files[0]);
  };

  return (
    <div className="audit-tool">
      <h3>Is this file in the dataset?</h3>
      <label
        className={`audit-drop${over ? " over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <span className="audit-drop-text">
          Drop a file here, or choose one to look for it in task {task.id.toString()}&apos;s dataset:
        </span>
        <input
          type="file"
          data-testid="file-check-input"
          onChange={(e) => {
            void check(e.currentTarget.files?.[0]);
            e.currentTarget.value = "";
          }}
        />
      </label>
      <div aria-live="polite">
        {state.status === "checking" && (
          <p className="muted small" role="status">
            Hashing {state.file} and looking it up…
          </p>
        )}
        {state.status === "done" && (
          <p
            className={`audit-result ${state.found ? "yes" : "no"}`}
            data-testid="file-check-result"
            data-found={state.found ? "true" : "false"}
          >
            {state.found ? (
              <>
                Yes: item #{state.found.index + 1} (batch {state.found.batch}).{" "}
                <span className="small">
                  {state.file} is at index {state.found.index} of the dataset tree.
                </span>
              </>
            ) : (
              <>
                No: this file is not in task {task.id.toString()}&apos;s dataset.{" "}
                <span className="small">No item has the content hash of {state.file}.</span>
              </>
            )}
          </p>
        )}
        {state.status === "error" && (
          <p className="error" role="alert" data-testid="file-check-error">
            {state.message}
          </p>
        )}
      </div>
    </div>
  );
}
