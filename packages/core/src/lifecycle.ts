/**
 * When a task takes batches (docs/protocol.md decision 31). The escrow accepts a batch until the
 * task's `closesAt`: its deadline, or the end of the notice period that `cancel` starts
 * (CANCEL_NOTICE). A submission's calldata shows its ciphertext to everyone, the requester
 * included, as soon as it is broadcast, so a client must never broadcast one that could be mined
 * after the close (its labels would be readable and unpaid) and must not start labeling a batch
 * it cannot finish in time.
 */

/** ZkLabelEscrow.CANCEL_NOTICE: seconds between a cancel and the end of submissions. */
export const CANCEL_NOTICE_SECONDS = 3600;
/** Clients start no new batch when the task closes sooner than this (labeling and proving take time). */
export const START_MARGIN_SECONDS = 600;
/** Clients broadcast no submission when the task closes sooner than this (inclusion takes time). */
export const SUBMIT_MARGIN_SECONDS = 120;

/** What a client needs of a stored task (IZkLabelEscrow.Task). */
export interface TaskWindow {
  cancelled: boolean;
  deadline: number | bigint;
  closesAt: number | bigint;
  /** Set on-chain with TaskCompleted (docs/protocol.md §5.7a); absent where the caller does not know it. */
  completed?: boolean;
}

/**
 * complete: the escrow recorded the task as complete (its verified batches are final; it takes none);
 * open: takes batches; closing: cancelled, still takes batches until closesAt; closed: takes none.
 */
export type TaskPhase = "complete" | "open" | "closing" | "closed";

export function taskPhase(t: TaskWindow, now: number): TaskPhase {
  if (t.completed) return "complete";
  if (now > Number(t.closesAt)) return "closed";
  return t.cancelled ? "closing" : "open";
}

/** Why a client must not start a new batch on this task now, or undefined when it may. */
export function cannotStartBatch(t: TaskWindow, now: number): string | undefined {
  const closesAt = Number(t.closesAt);
  if (t.completed) return "the task is complete: its dataset is final and it takes no more batches";
  if (t.cancelled) {
    return now > closesAt
      ? "the requester cancelled this task and it has closed"
      : `the requester cancelled this task: it closes at ${iso(closesAt)}, so no new batch is started (batches already submitted are paid)`;
  }
  if (now > closesAt) return `the task's deadline (${iso(closesAt)}) has passed`;
  if (closesAt - now < START_MARGIN_SECONDS) {
    return `the task closes at ${iso(closesAt)}, in ${closesAt - now} s: too soon to label, prove and submit a batch safely`;
  }
  return undefined;
}

/** Why a client must not broadcast a submission to this task now, or undefined when it may. */
export function cannotSubmit(t: TaskWindow, now: number): string | undefined {
  const closesAt = Number(t.closesAt);
  if (t.completed) return "the task is complete: it takes no more batches";
  if (now > closesAt) return `the task closed at ${iso(closesAt)}${t.cancelled ? " (cancelled)" : ""}`;
  if (closesAt - now < SUBMIT_MARGIN_SECONDS) {
    return `the task closes at ${iso(closesAt)}, in ${closesAt - now} s: a submission could be mined after that, and its labels would then be public without pay`;
  }
  return undefined;
}

const iso = (s: number) => new Date(s * 1000).toISOString();
