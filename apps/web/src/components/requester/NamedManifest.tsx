"use client";
/**
 * The dataset's manifest for the labels: the named one (file names) kept in the browser that
 * posted, or loaded from a file; else the vault's public one (items "#1", "#2", ..., with their
 * content hashes and image sizes). The named one can be downloaded, to load it in another browser.
 */
import { useQuery } from "@tanstack/react-query";
import { checkManifest, type Manifest } from "@zklabel/sdk/dataset";
import { ZkLabelError } from "@zklabel/sdk/errors";
import { VaultClient } from "@zklabel/sdk/vault";
import { useCallback, useEffect, useId, useState } from "react";
import { downloadJson } from "@/lib/download";
import { messageFor } from "@/lib/errors";
import { loadManifest, saveManifest } from "@/lib/requester-store";
import type { TaskView } from "@/lib/tasks";

/** The file name of a task's named manifest. */
export const namedManifestFile = (taskId: bigint | string): string => `task-${taskId}-manifest.json`;

/** The task's manifests: the named one (undefined while looking), the vault's public one once `active`, the best of them. */
export function useTaskManifest(t: TaskView, active: boolean) {
  const [named, setNamed] = useState<Manifest | null | undefined>(undefined);
  const root = t.info.datasetRoot;
  const vault = t.metadata?.vault;
  useEffect(() => {
    let live = true;
    loadManifest(root)
      .then((m) => live && setNamed(m))
      .catch(() => live && setNamed(null));
    return () => {
      live = false;
    };
  }, [root]);
  const fetchPublic = useCallback(async () => {
    if (!vault) throw new ZkLabelError("not_found", "the task names no vault to read its public manifest from");
    return (await new VaultClient(vault).manifest(root)).manifest;
  }, [vault, root]);
  const pub = useQuery({
    queryKey: ["public-manifest", vault, root.toString()],
    enabled: active && named === null && vault !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: fetchPublic,
  });

  /** Loads a named manifest from a file the requester chose; it must be this task's dataset. */
  async function load(file: File): Promise<string> {
    const { manifest: m } = checkManifest(JSON.parse(await file.text()));
    if (BigInt(m.root) !== root)
      throw new ZkLabelError("wrong_task", `this manifest is for dataset ${m.root}, not this task's dataset`);
    setNamed(m);
    await saveManifest(m).catch(() => {});
    return `Item names loaded from ${file.name}.`;
  }

  return {
    named,
    publicManifest: pub.data,
    publicError: pub.error ? messageFor(pub.error) : undefined,
    best: named ?? pub.data ?? null,
    /** A manifest with the images' sizes (COCO): the named one, else the vault's. */
    sized: async (): Promise<Manifest> => (named?.items[0]?.width ? named : (pub.data ?? (await fetchPublic()))),
    load,
  };
}

/** Where the labels' item names come from, with a download of the named manifest or a way to load one. */
export function NamedManifest({
  task: t,
  manifests,
}: {
  task: TaskView;
  manifests: ReturnType<typeof useTaskManifest>;
}) {
  const id = useId();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  if (manifests.named === undefined) return null;
  if (manifests.named)
    return (
      <p className="small muted rq-manifest-note" data-testid="named-manifest">
        Item names come from the dataset&apos;s named manifest in this browser.{" "}
        <button
          type="button"
          className="btn small"
          data-testid="download-named-manifest"
          onClick={() => manifests.named && downloadJson(namedManifestFile(t.id), manifests.named)}
        >
          Download the named manifest
        </button>{" "}
        (load it in another browser to see the names there).
      </p>
    );
  return (
    <div className="rq-manifest-note">
      <p className="small muted" data-testid="no-named-manifest">
        This browser does not have the dataset&apos;s file names (the task was posted from another browser), so items
        are named by number (#1, #2, …)
        {manifests.publicManifest ? "; their content hashes come from the vault's public manifest" : ""}. Load the named
        manifest you downloaded after posting to see the names.
      </p>
      {manifests.publicError && <p className="small error">The vault&apos;s manifest: {manifests.publicError}</p>}
      <label className="field" htmlFor={`${id}-manifest`}>
        <span>Named manifest (JSON)</span>
        <input
          id={`${id}-manifest`}
          type="file"
          accept=".json,application/json"
          data-testid="load-named-manifest"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = "";
            if (f)
              manifests.load(f).then(
                (text) => setNote({ ok: true, text }),
                (err: unknown) => setNote({ ok: false, text: `${f.name} was not used: ${messageFor(err)}` }),
              );
          }}
        />
      </label>
      {note && (
        <p className={`small ${note.ok ? "ok" : "error"}`} role={note.ok ? "status" : "alert"}>
          {note.text}
        </p>
      )}
    </div>
  );
}
