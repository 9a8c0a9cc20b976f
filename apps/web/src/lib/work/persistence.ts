"use client";
/**
 * What the worker's page keeps in this browser, so a reload or a failed proof loses nothing: the
 * labels of every batch (localStorage, checked against the rule's label schema when read back) and
 * each downloaded batch (IndexedDB: a reload needs no new access proof or download).
 */
import type { AnyRule } from "@zklabel/core/rules";
import { useCallback, useEffect, useState } from "react";
import type { FetchResult } from "../prover-protocol";
import { storeGet, storePut } from "../requester-store";

/** Where a task's work is kept: one key per chain, escrow and task. */
export interface WorkPlace {
  chainId: number;
  escrow: string;
  taskId: bigint;
}

/** Labels per batch: one label of the rule (or null) per item. */
export type BatchLabels = Record<number, unknown[]>;

/** Stored labels that are not labels of this rule (an older app's, a damaged value) become null. */
function readLabels(key: string, rule: AnyRule): BatchLabels {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "{}");
    if (!parsed || typeof parsed !== "object") return {};
    const out: BatchLabels = {};
    for (const [b, list] of Object.entries(parsed)) {
      if (!Array.isArray(list)) continue;
      out[Number(b)] = list.map((l) => (l === null ? null : rule.label.safeParse(l).success ? l : null));
    }
    return out;
  } catch {
    return {};
  }
}

/** The task's labels, batch by batch, kept in localStorage as they change. */
export function useStoredLabels(place: WorkPlace, rule: AnyRule) {
  const key = `zklabel.labels.${place.chainId}.${place.escrow}.${place.taskId}`;
  const [labels, setLabels] = useState<BatchLabels>(() => readLabels(key, rule));
  useEffect(() => {
    try {
      localStorage.setItem(key, JSON.stringify(labels));
    } catch {}
  }, [key, labels]);
  /** Sets item `i` of batch `batch` (of `count` items) to `label`, or clears it (null). */
  const setLabel = useCallback((batch: number, count: number, i: number, label: unknown | null) => {
    setLabels((all) => {
      const next: unknown[] = Array.from({ length: count }, (_, k) => all[batch]?.[k] ?? null);
      next[i] = label;
      return { ...all, [batch]: next };
    });
  }, []);
  return { labels, setLabel };
}

/** The task's downloaded batches: those of this page, and those kept in IndexedDB from before. */
export function useFetchedBatches(place: WorkPlace, shown: number) {
  const [fetched, setFetched] = useState<Record<number, FetchResult>>({});
  const keyOf = useCallback(
    (b: number) => `zklabel.batch.${place.chainId}.${place.escrow}.${place.taskId}.${b}`,
    [place.chainId, place.escrow, place.taskId],
  );
  const have = fetched[shown] !== undefined;
  // The batch shown may have been downloaded before (this browser, this task).
  useEffect(() => {
    if (have) return;
    let live = true;
    storeGet<FetchResult>(keyOf(shown))
      .then((saved) => {
        if (live && saved?.items) setFetched((f) => (f[shown] ? f : { ...f, [shown]: saved }));
      })
      .catch(() => {}); // no storage: download again
    return () => {
      live = false;
    };
  }, [shown, keyOf, have]);
  /** Keeps a downloaded batch (in IndexedDB too, when the browser lets us; downloaded again otherwise). */
  const keep = useCallback(
    (b: number, res: FetchResult) => {
      setFetched((f) => ({ ...f, [b]: res }));
      storePut(keyOf(b), res).catch(() => {});
    },
    [keyOf],
  );
  return { fetched, keep };
}
