"use client";
/**
 * The requester's gold review of pending batches (docs/protocol.md §3.5): the task's gold openings
 * (kept in this browser when it was posted here, or loaded from the downloaded file), each pending
 * batch decrypted with the requester's key and scored against them (the SDK's reviewPending), and
 * a rejection proved in the prover thread and sent through the SDK client. Nothing secret leaves
 * the browser: the chain sees the proof only.
 */
import type { GoldOpenings } from "@zklabel/sdk/gold";
import { type ReviewedBatch, reviewPending } from "@zklabel/sdk/review";
import { useEffect, useMemo, useState } from "react";
import { useDeployment } from "./deployment";
import { messageFor } from "./errors";
import { type GoldRecord, loadGold, saveGold } from "./requester-store";
import { type TaskView, useEscrowLogs } from "./tasks";

/** A gold openings file as this app downloads it (a GoldRecord), or the SDK's bare openings; checked against the task. */
export function goldFromFile(raw: unknown, t: TaskView, chainId: number, escrow: string): GoldRecord {
  const obj = raw as Partial<GoldRecord> & Partial<GoldOpenings>;
  const openings = (obj && typeof obj === "object" && "openings" in obj ? obj.openings : obj) as
    | GoldOpenings
    | undefined;
  if (!openings || typeof openings.goldRoot !== "string" || !Array.isArray(openings.items))
    throw new Error(
      "this is not a gold openings file: it is the task-<id>-gold-openings.json downloaded when the task was posted",
    );
  let root: bigint;
  try {
    root = BigInt(openings.goldRoot);
  } catch {
    throw new Error(`the file's gold root (${openings.goldRoot}) is not a number`);
  }
  if (root !== t.info.goldRoot)
    throw new Error(
      `these gold openings are for another task (gold root ${openings.goldRoot}, task #${t.id} has 0x${t.info.goldRoot.toString(16)})`,
    );
  if (openings.items.length !== t.info.itemCount)
    throw new Error(`the file opens ${openings.items.length} items; task #${t.id} has ${t.info.itemCount}`);
  return {
    kind: "zklabel-gold-openings",
    version: 1,
    chainId,
    escrow,
    taskId: t.id.toString(),
    datasetRoot: obj.datasetRoot ?? `0x${t.info.datasetRoot.toString(16)}`,
    classes: obj.classes ?? [],
    minAccuracy: obj.minAccuracy ?? t.minAccuracy,
    openings,
  };
}

/** The task's gold openings: undefined while looking in this browser, null when they are not here; `load` reads a file. */
export function useTaskGold(t: TaskView) {
  const d = useDeployment();
  const [gold, setGold] = useState<GoldRecord | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const hasGold = t.info.goldRoot !== 0n;
  useEffect(() => {
    if (!hasGold) return;
    let live = true;
    loadGold(d.chainId, d.escrow, t.id, t.info.goldRoot)
      .then((g) => live && setGold(g))
      .catch(() => live && setGold(null));
    return () => {
      live = false;
    };
  }, [d.chainId, d.escrow, t.id, t.info.goldRoot, hasGold]);

  async function load(file: File) {
    setProblem(null);
    try {
      const record = goldFromFile(JSON.parse(await file.text()), t, d.chainId, d.escrow);
      setGold(record);
      // Kept for the next visit; a full storage only means loading the file again next time.
      await saveGold(record).catch(() => {});
    } catch (e) {
      setProblem(`${file.name} was not loaded: ${messageFor(e)}`);
    }
  }
  return { gold, load, problem };
}

/**
 * The pending batches decrypted and scored against gold (null until key and openings are both here).
 * Scored once per change of the chain's events, not per clock tick: `rejectable` here ignores the
 * window, which the page checks against the chain's clock (windowOpen).
 */
export function useReview(t: TaskView, skR: bigint | null, gold: GoldRecord | null | undefined) {
  const logs = useEscrowLogs();
  return useMemo((): { batches: ReviewedBatch[] } | { error: string } | null => {
    if (skR === null || !gold || !logs.data) return null;
    try {
      return {
        batches: reviewPending({
          logs: logs.data,
          task: t.info,
          minAccuracy: t.minAccuracy,
          goldThreshold: t.goldThreshold,
          skR,
          openings: gold.openings,
          now: 0,
        }),
      };
    } catch (e) {
      return { error: `The pending batches could not be reviewed: ${messageFor(e)}` };
    }
  }, [skR, gold, logs.data, t]);
}

/** Whether a rejection can still land: the chain's clock before the window's end (the escrow's `now < submittedAt + window`). */
export const windowOpen = (b: Pick<ReviewedBatch, "endsAt">, chainNowSeconds: number): boolean =>
  chainNowSeconds < b.endsAt;

/** "2 of 8 gold items right, 25 %" (the percentage rounded down, so it never reads above the truth). */
export function accuracyText(b: Pick<ReviewedBatch, "gold" | "correct">): string {
  if (b.gold === 0) return "no gold item in this batch";
  return `${b.correct} of ${b.gold} gold item${b.gold === 1 ? "" : "s"} right, ${Math.floor((100 * b.correct) / b.gold)} %`;
}
