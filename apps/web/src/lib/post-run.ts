"use client";
/**
 * Posting a task from the browser: the SDK's staged postTask (check, key, gold, upload, approve,
 * create) with the browser's parts: the wallet's signature, the vault upload with progress, the
 * gold openings and the named manifest kept in IndexedDB. What a failed post already did (the
 * derived key, the uploaded items) is kept, so posting again continues where it stopped.
 */
import { ZkLabelError } from "@zklabel/core/errors";
import type { Manifest } from "@zklabel/sdk/dataset";
import { type PostKey, type PostStage, postTask } from "@zklabel/sdk/post";
import { VaultClient } from "@zklabel/sdk/vault";
import { useRef, useState } from "react";
import type { Address, Hash } from "viem";
import { useConfig } from "wagmi";
import { signMessage } from "wagmi/actions";
import { useZkLabel } from "./client";
import type { PickedFile } from "./dataset-files";
import { useDeployment } from "./deployment";
import { messageFor } from "./errors";
import type { CheckedForm } from "./post-form";
import { type GoldRecord, saveGold, saveManifest } from "./requester-store";

/** The steps the requester sees: the SDK's stages (the key is derived once per account and kept for retries). */
export type PostStep = PostStage;

/** Where a post is: the step under way or the one that failed, and why. */
export interface PostRun {
  step: PostStep;
  status: "running" | "failed";
  error?: string;
  /** The form did not pass its checks (the page lists the fields still wrong, live). */
  invalid?: boolean;
}

/** A posted task, with what the requester should keep. */
export interface Created {
  taskId: bigint;
  hash: Hash;
  title: string;
  /** The gold openings (secret), when the task has gold items. */
  gold: GoldRecord | null;
  /** The manifest with the file names: items are named by number in any browser that lacks it. */
  manifest: Manifest;
  warning: string | null;
}

/** What one post needs. */
export interface PostInput {
  account: Address;
  checked: CheckedForm;
  manifest: Manifest;
  files: readonly PickedFile[];
  vaultUrl: string;
  vaultToken: string;
}

export function usePostRun() {
  const d = useDeployment();
  const config = useConfig();
  const { withWallet } = useZkLabel();
  const [run, setRun] = useState<PostRun | null>(null);
  const [upload, setUpload] = useState<{ done: number; total: number } | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const abort = useRef<AbortController | null>(null);
  /** Work a failed post already did: the account's derived key, the (vault, dataset) pairs uploaded. */
  const kept = useRef<{ key?: { account: Address; key: PostKey }; uploaded: Set<string> }>({ uploaded: new Set() });

  async function post(a: PostInput): Promise<void> {
    const m = a.manifest;
    const r = a.checked.resolved;
    let step: PostStep = "check";
    let warning: string | null = null;
    let gold: GoldRecord | null = null;
    const note = (w: string) => {
      warning = warning ? `${warning} ${w}` : w;
    };
    const ac = new AbortController();
    abort.current = ac;
    setCreated(null);
    setRun({ step, status: "running" });
    try {
      const client = await withWallet();
      const uploadKey = `${a.vaultUrl}|${m.root}`;
      const posted = await postTask({
        client,
        deployment: d,
        spec: r,
        manifest: m,
        key: kept.current.key?.account === a.account ? kept.current.key.key : undefined,
        onKey: (key) => {
          kept.current.key = { account: a.account, key };
        },
        signMessage: (message) => signMessage(config, { account: a.account, message }),
        gold: r.spec.gold ? a.checked.gold : undefined,
        keepGold: async (openings, taskId) => {
          gold = {
            kind: "zklabel-gold-openings",
            version: 1,
            chainId: d.chainId,
            escrow: d.escrow,
            datasetRoot: m.root,
            classes: a.checked.classes,
            minAccuracy: r.minAccuracy,
            openings,
            ...(taskId !== undefined ? { taskId: taskId.toString() } : {}),
          };
          // Not kept here, they can still be downloaded once the task is posted: say so, and post.
          await saveGold(gold).catch((e: unknown) => {
            if (taskId === undefined)
              note(
                `The gold openings could not be kept in this browser (${messageFor(e)}) Download them below and keep the file safe.`,
              );
          });
        },
        upload: kept.current.uploaded.has(uploadKey)
          ? undefined
          : async (signal) => {
              await saveManifest(m).catch((e: unknown) =>
                note(
                  `The dataset's file names could not be kept in this browser (${messageFor(e)}) Download the named manifest below: exports elsewhere name items by number.`,
                ),
              );
              setUpload({ done: 0, total: m.count });
              try {
                await new VaultClient(a.vaultUrl, { token: a.vaultToken || undefined }).uploadDataset({
                  manifest: m,
                  bytesOf: (i) => a.files[i].bytes,
                  sizes: a.files.map((f) => f.bytes.length),
                  typeOf: (i) => a.files[i].type,
                  onProgress: (done, total) => setUpload({ done, total }),
                  signal,
                });
              } catch (e) {
                if (signal?.aborted)
                  throw new ZkLabelError(
                    "cancelled",
                    "The upload was stopped. Post again to continue it where it stopped.",
                  );
                throw e;
              }
              kept.current.uploaded.add(uploadKey);
            },
        vaultUrl: a.vaultUrl,
        onStage: (s) => {
          step = s;
          setRun({ step: s, status: "running" });
        },
        signal: ac.signal,
      });
      kept.current = { uploaded: kept.current.uploaded };
      setRun(null);
      setCreated({ taskId: posted.taskId, hash: posted.hash, title: r.spec.title, gold, manifest: m, warning });
    } catch (e) {
      setRun({ step, status: "failed", error: messageFor(e) });
    } finally {
      abort.current = null;
    }
  }

  return {
    run,
    upload,
    created,
    post,
    /** Refuses to post before any step: the form is not valid (no `error`: the page lists the fields), or the wallet cannot. */
    refuse: (error?: string) => setRun({ step: "check", status: "failed", error, invalid: error === undefined }),
    stopUpload: () => abort.current?.abort(),
    /** Starts over for another task (uploaded datasets are remembered). */
    reset: () => {
      kept.current = { uploaded: kept.current.uploaded };
      setRun(null);
      setUpload(null);
      setCreated(null);
    },
  };
}
