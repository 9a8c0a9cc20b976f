/**
 * Reading the contracts' events (browser and Node): pages through block ranges (halving a range
 * the node refuses as too large), keeps what it read, and on the next call asks only for the
 * blocks after the last one it saw.
 */
import { type GroupEvent, groupFromEvents } from "@zklabel/core/group";
import type { Abi, Address, Log, PublicClient } from "viem";
import { groupsAbi } from "./abi-groups.ts";

/** A decoded event with its place in the chain. */
export type DecodedLog = Log<bigint, number, false> & { eventName: string; args: Record<string, unknown> };

/** Where an EventReader reads: the client, the contract and its ABI, from its deployment block. */
export interface EventReaderOptions {
  client: Pick<PublicClient, "getBlockNumber" | "getContractEvents">;
  address: Address;
  abi: Abi;
  /** The contract's deployment block: nothing before it is read. */
  fromBlock: bigint;
  /** Largest block range per request (nodes commonly refuse more than a few thousand). */
  maxRange?: bigint;
}

/** Reads all events of a contract, incrementally: each read() returns every event so far, in chain order. */
export class EventReader {
  private readonly opts: Required<EventReaderOptions>;
  private readonly logs: DecodedLog[] = [];
  private next: bigint;
  /** Requests made so far (for progress reports and tests). */
  requests = 0;

  constructor(opts: EventReaderOptions) {
    this.opts = { maxRange: 5_000n, ...opts };
    this.next = opts.fromBlock;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Every event from the deployment block up to the latest block (or `toBlock`); concurrent calls run one after another. */
  read(toBlock?: bigint, onProgress?: (doneBlock: bigint, lastBlock: bigint) => void): Promise<DecodedLog[]> {
    const run = this.queue.then(() => this.readNow(toBlock, onProgress));
    this.queue = run.catch(() => {});
    return run;
  }

  private async readNow(
    toBlock?: bigint,
    onProgress?: (doneBlock: bigint, lastBlock: bigint) => void,
  ): Promise<DecodedLog[]> {
    // Uncached: viem keeps the block number for its polling interval, and a read right after a
    // transaction (a join, a submission) would stop short of the block that holds it and, since the
    // reader resumes where it stopped, show the old state until something else reads again.
    const last = toBlock ?? (await this.opts.client.getBlockNumber({ cacheTime: 0 }));
    let range = this.opts.maxRange;
    while (this.next <= last) {
      const end = this.next + range - 1n < last ? this.next + range - 1n : last;
      let page: DecodedLog[];
      try {
        this.requests++;
        page = (await this.opts.client.getContractEvents({
          address: this.opts.address,
          abi: this.opts.abi,
          fromBlock: this.next,
          toBlock: end,
        })) as unknown as DecodedLog[];
      } catch (e) {
        if (range > 1n && /range|too many|limit|exceed/i.test(e instanceof Error ? e.message : String(e))) {
          range /= 2n; // the node refuses this span: ask for less
          continue;
        }
        throw e;
      }
      page.sort((a, b) =>
        a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
      );
      this.logs.push(...page);
      this.next = end + 1n;
      onProgress?.(end, last);
    }
    return this.logs;
  }
}

/**
 * The membership changes of one group, from WorkerGroups' events, for groupFromEvents. The open
 * group rolls over to a fresh tree when full (OpenGroupRolledOver): each generation is a tree of
 * its own, and `generation` picks one (default: the current one).
 */
export function groupEventsOf(logs: readonly DecodedLog[], groupId: bigint, generation?: number): GroupEvent[] {
  const generations: GroupEvent[][] = [[]];
  for (const log of logs) {
    const a = log.args as Record<string, bigint>;
    if (log.eventName === "OpenGroupRolledOver") {
      if (groupId === 0n) generations.push([]);
      continue;
    }
    if (a.groupId !== groupId) continue;
    const out = generations[generations.length - 1];
    if (log.eventName === "MemberAdded") {
      out.push({ kind: "added", index: a.index, commitment: a.identityCommitment, root: a.root });
    } else if (log.eventName === "MemberUpdated") {
      out.push({ kind: "updated", index: a.index, newCommitment: a.newCommitment, root: a.root });
    } else if (log.eventName === "MemberRemoved") {
      out.push({ kind: "removed", index: a.index, root: a.root });
    }
  }
  return generations[generation ?? generations.length - 1] ?? [];
}

/**
 * A reader of WorkerGroups and the tree of one of its groups, rebuilt and checked root by root:
 * the tree that holds `member` (for the open group, the generation it joined; a full generation's
 * final root stays valid for proofs), else the group's current tree.
 */
export async function readWorkerGroup(reader: EventReader, groupId: bigint, member?: bigint) {
  const logs = await reader.read();
  const current = groupFromEvents(groupEventsOf(logs, groupId));
  if (member === undefined || groupId !== 0n || current.indexOf(member) >= 0) return current;
  const generations = logs.filter((l) => l.eventName === "OpenGroupRolledOver").length;
  for (let g = generations - 1; g >= 0; g--) {
    const tree = groupFromEvents(groupEventsOf(logs, groupId, g));
    if (tree.indexOf(member) >= 0) return tree;
  }
  return current;
}

/** An EventReader for a WorkerGroups contract. */
export function workerGroupsReader(opts: Omit<EventReaderOptions, "abi">): EventReader {
  return new EventReader({ ...opts, abi: groupsAbi as unknown as Abi });
}
