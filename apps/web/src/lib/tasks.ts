"use client";
/**
 * Every task of the escrow, rebuilt in the browser from its events (one incremental reader per
 * page load, polled every two seconds). The views themselves (tasksFromLogs) are built in
 * ./task-views, without React. Shared by the worker, requester and auditor pages.
 */
import { useQuery } from "@tanstack/react-query";
import type { EventReader } from "@zklabel/sdk/events";
import { escrowReader } from "@zklabel/sdk/task-info";
import { useMemo } from "react";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { useDeployment } from "./deployment";
import { type AuditSources, readAuditList } from "./indexed";
import { type TaskStatus, type TaskView, tasksFromLogs } from "./task-views";

export { type ReadSource, sourceText } from "./indexed";
export {
  type BatchStatus,
  type BatchView,
  type Rejection,
  ruleTitle,
  summaryOf,
  type TaskStatus,
  type TaskSummary,
  type TaskView,
  taskStatus,
  tasksFromLogs,
} from "./task-views";

const readers = new Map<string, EventReader>();

/** Every escrow event so far, from this page's one incremental reader (a copy: the reader appends to its own array, and React Query compares by reference). */
async function readAllEvents(
  d: { chainId: number; escrow: string; deployBlock: string },
  client: NonNullable<ReturnType<typeof usePublicClient>>,
) {
  const key = `${d.chainId}:${d.escrow}:${d.deployBlock}`;
  const reader =
    readers.get(key) ?? escrowReader({ client, address: d.escrow as Address, fromBlock: BigInt(d.deployBlock) });
  readers.set(key, reader);
  return [...(await reader.read())];
}

/** All escrow events since the deployment block, re-read (incrementally) every two seconds. */
export function useEscrowLogs() {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  return useQuery({
    queryKey: ["escrow-logs", d.chainId, d.escrow, d.deployBlock],
    enabled: client !== undefined,
    refetchInterval: 2000,
    queryFn: async () => {
      if (!client) throw new Error("no connection to the chain");
      return readAllEvents(d, client);
    },
  });
}

/**
 * Where the auditor's pages read (apps/web/src/lib/indexed.ts): the deployment's indexer when it
 * answers within a few blocks of the chain's head, else this page's event reader.
 */
export function useAuditSources(): AuditSources | undefined {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  return useMemo(
    () =>
      client
        ? {
            indexerUrl: d.indexerUrl,
            chainId: d.chainId,
            escrow: d.escrow as Address,
            head: () => client.getBlockNumber({ cacheTime: 0 }),
            events: () => readAllEvents(d, client),
          }
        : undefined,
    [client, d],
  );
}

/** The auditor's list (/audit): every task's row, newest first, and where it was read; re-read every two seconds. */
export function useAuditList() {
  const d = useDeployment();
  const sources = useAuditSources();
  const q = useQuery({
    queryKey: ["audit-list", d.chainId, d.escrow, d.deployBlock, d.indexerUrl],
    enabled: sources !== undefined,
    refetchInterval: 2000,
    queryFn: () => {
      if (!sources) throw new Error("no connection to the chain");
      return readAuditList(sources);
    },
  });
  return {
    tasks: q.data?.tasks,
    source: q.data?.source,
    loading: q.isLoading,
    error: q.error ? `Reading the tasks failed: ${q.error.message}` : undefined,
    refetch: q.refetch,
  };
}

/** Every task, newest first. */
export function useTasks() {
  const logs = useEscrowLogs();
  const tasks = useMemo(() => (logs.data ? tasksFromLogs(logs.data) : undefined), [logs.data]);
  return {
    tasks,
    loading: logs.isLoading,
    error: logs.error ? `Reading the escrow's events failed: ${logs.error.message}` : undefined,
    refetch: logs.refetch,
  };
}

/** One task by id (undefined while loading; null when it does not exist). */
export function useTask(id: bigint | null) {
  const all = useTasks();
  const task = all.tasks && id !== null ? (all.tasks.find((t) => t.id === id) ?? null) : undefined;
  return { ...all, task };
}

/**
 * A requester's record from the chain, over all of their tasks: submissions their tasks received
 * and how many of them they rejected with a gold proof (gold answers are the requester's word).
 */
export function requesterRecord(
  tasks: readonly TaskView[],
  requester: Address,
): { tasks: number; submissions: number; rejected: number } {
  const mine = tasks.filter((t) => t.requester.toLowerCase() === requester.toLowerCase());
  return {
    tasks: mine.length,
    submissions: mine.reduce((n, t) => n + t.submissions, 0),
    rejected: mine.reduce((n, t) => n + t.rejections.length, 0),
  };
}

/** A requester's rejection record in words, for workers: "rejected 1 of 12 submitted batches (8 %)". */
export function recordText(r: { submissions: number; rejected: number }): string {
  if (r.submissions === 0) return "no batch submitted to this requester's tasks yet";
  const pct = Math.round((100 * r.rejected) / r.submissions);
  return `rejected ${r.rejected} of ${r.submissions} submitted batch${r.submissions === 1 ? "" : "es"} across their tasks${r.rejected ? ` (${pct} %)` : ""}`;
}

/** The chain's clock (unix seconds): the latest block's time or the wall clock, whichever is later. */
export function useChainNow(): bigint {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  const q = useQuery({
    queryKey: ["chain-now", d.chainId],
    enabled: client !== undefined,
    refetchInterval: 2000,
    queryFn: async () => (client ? (await client.getBlock()).timestamp : 0n),
  });
  const wall = BigInt(Math.floor(Date.now() / 1000));
  return q.data !== undefined && q.data > wall ? q.data : wall;
}

/** Parses a route segment as a task id or batch index (null when it is not a whole number). */
export function parseIndex(v: string | string[] | undefined): bigint | null {
  return typeof v === "string" && /^\d{1,30}$/.test(v) ? BigInt(v) : null;
}

/** A status's longer words, for a badge's title. */
export const STATUS_TITLES: Record<TaskStatus, string> = {
  open: "open: takes batches",
  closing: "cancelled: takes batches until its closing time",
  cancelled: "cancelled and closed",
  expired: "past its deadline: takes no batches",
  complete: "complete: recorded on-chain (TaskCompleted); its verified batches are final",
};
