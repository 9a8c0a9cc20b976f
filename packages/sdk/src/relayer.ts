/**
 * The relayer's HTTP API (docs/protocol.md §7.2) and its client. A worker hands the relayer a
 * proof; the relayer checks it, queues it, submits it with others in one `submitBatches` and
 * earns the fee bound in the proof's recipient word. The worker never sends a transaction, so no
 * address of its own appears on-chain.
 */

import { ZkLabelError } from "@zklabel/core/errors";
import { z } from "zod";

const field = z.string().regex(/^\d{1,78}$/, "must be a decimal field element");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hash");

/** POST /v1/proofs: one batch's proof, as the prover returns it (decimal strings). */
export const proofSubmissionSchema = z.object({
  taskId: field,
  batchIndex: z.number().int().nonnegative(),
  proof: z.array(field).length(8),
  publicInputs: z.array(field).min(1).max(256),
});
export type ProofSubmission = z.infer<typeof proofSubmissionSchema>;

/** Where a ticket stands. */
export const TICKET_STATUSES = ["queued", "submitted", "pending", "verified", "rejected", "refused"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** A queued proof's ticket: what the relayer did with it, in words when it refused. */
export const ticketSchema = z.object({
  id: hash,
  taskId: field,
  batchIndex: z.number().int().nonnegative(),
  status: z.enum(TICKET_STATUSES),
  /** Why it was refused, in words (status "refused"). */
  reason: z.string().optional(),
  /** A stable code for the refusal (batch_taken, root_expired, ...). */
  code: z.string().optional(),
  /** The transaction that carried it (submitted and later). */
  txHash: hash.optional(),
  /** Pending: when its challenge window ends (seconds). */
  finalizesAt: z.number().int().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** GET /v1/info: who the relayer is and what it asks. */
export const relayerInfoSchema = z.object({
  chainId: z.number().int().positive(),
  escrow: address,
  /** The address that sends the transactions and earns the fees. */
  address,
  /** Lowest relayer fee it takes, in basis points of the batch's reward. */
  minFeeBps: z.number().int().min(0).max(10_000),
  /** Largest number of proofs in one submitBatches. */
  maxBatch: z.number().int().positive(),
  /** Longest a queued proof waits for others, ms. */
  maxWaitMs: z.number().int().nonnegative(),
  /** Its balance, wei (decimal). */
  balance: field,
  lowBalance: z.boolean(),
  /** Whether it sponsors joins of the open group. */
  sponsorsJoins: z.boolean(),
  queued: z.number().int().nonnegative(),
});
export type RelayerInfo = z.infer<typeof relayerInfoSchema>;

/** The least fee a relayer with minimum `minFeeBps` takes on a withdrawal of `amount`: its share, rounded up. */
export function minimumWithdrawalFee(minFeeBps: number, amount: bigint): bigint {
  return (amount * BigInt(minFeeBps) + 9_999n) / 10_000n;
}

/** POST /v1/joins: the open group's new member. */
export const joinRequestSchema = z.object({ identityCommitment: field });
export const joinResultSchema = z.object({ txHash: hash, groupSize: z.number().int().positive() });

/** POST /v1/withdrawals: a withdrawal its credited account signed (sdk/withdraw signWithdrawal), as decimal strings. */
export const withdrawalRequestSchema = z.object({
  message: z.object({
    token: address,
    account: address,
    to: address,
    amount: field,
    fee: field,
    relayer: address,
    nonce: field,
    deadline: field,
  }),
  signature: z.string().regex(/^0x[0-9a-fA-F]{2,1024}$/, "must be 0x-prefixed hex"),
});
export type WithdrawalRequest = z.infer<typeof withdrawalRequestSchema>;
export const withdrawalResultSchema = z.object({ txHash: hash, paid: field, fee: field });

const refusalSchema = z.object({ error: z.string(), code: z.string() });

/** A refusal from the relayer, with its HTTP status and stable code. */
export class RelayerError extends ZkLabelError {
  readonly status: number;
  readonly refusal: string;
  constructor(message: string, status: number, refusal: string) {
    super(status === 0 && refusal === "unreachable" ? "relayer_unreachable" : "relayer_refused", message);
    this.status = status;
    this.refusal = refusal;
  }
}

/** A relayer's client (browser and Node: only fetch). */
export class RelayerClient {
  readonly url: string;
  private readonly fetchImpl: typeof fetch;

  constructor(url: string, opts: { fetch?: typeof fetch } = {}) {
    this.url = url.replace(/\/+$/, "");
    this.fetchImpl = opts.fetch ?? ((...a) => fetch(...a));
  }

  async info(): Promise<RelayerInfo> {
    return relayerInfoSchema.parse(await this.call("GET", "/v1/info"));
  }

  /** Hands over a proof; the same proof sent again gets the same ticket. */
  async submit(args: {
    taskId: bigint;
    batchIndex: number;
    proof: readonly bigint[];
    publicInputs: readonly bigint[];
  }): Promise<Ticket> {
    const body: ProofSubmission = {
      taskId: args.taskId.toString(),
      batchIndex: args.batchIndex,
      proof: args.proof.map(String),
      publicInputs: args.publicInputs.map(String),
    };
    return ticketSchema.parse(await this.call("POST", "/v1/proofs", body));
  }

  async ticket(id: string): Promise<Ticket> {
    return ticketSchema.parse(await this.call("GET", `/v1/tickets/${id}`));
  }

  /**
   * Polls a ticket until it leaves "queued" and "submitted" (or reaches one of `until`);
   * `onStatus` hears every change.
   */
  async wait(
    id: string,
    opts: { until?: TicketStatus[]; intervalMs?: number; timeoutMs?: number; onStatus?(t: Ticket): void } = {},
  ): Promise<Ticket> {
    const until = opts.until ?? ["pending", "verified", "rejected", "refused"];
    const start = Date.now();
    let last = "";
    for (;;) {
      const t = await this.ticket(id);
      if (t.status !== last) opts.onStatus?.(t);
      last = t.status;
      if (until.includes(t.status) || t.status === "refused") return t;
      if (Date.now() - start > (opts.timeoutMs ?? 10 * 60_000)) {
        throw new RelayerError(
          `the relayer has held ticket ${id} for ${Math.round((Date.now() - start) / 1000)} s (still ${t.status}); ask it again later with the ticket id`,
          0,
          "timeout",
        );
      }
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
    }
  }

  /** Asks the relayer to add an identity commitment to the open group, paying the gas itself. */
  async join(identityCommitment: bigint): Promise<z.infer<typeof joinResultSchema>> {
    return joinResultSchema.parse(
      await this.call("POST", "/v1/joins", { identityCommitment: identityCommitment.toString() }),
    );
  }

  /** Hands over a signed withdrawal (sdk/withdraw signWithdrawal); the relayer submits it and keeps the fee. */
  async withdraw(signed: {
    message: {
      token: string;
      account: string;
      to: string;
      amount: bigint;
      fee: bigint;
      relayer: string;
      nonce: bigint;
      deadline: bigint;
    };
    signature: string;
  }): Promise<z.infer<typeof withdrawalResultSchema>> {
    const m = signed.message;
    const body: WithdrawalRequest = {
      message: {
        token: m.token,
        account: m.account,
        to: m.to,
        amount: m.amount.toString(),
        fee: m.fee.toString(),
        relayer: m.relayer,
        nonce: m.nonce.toString(),
        deadline: m.deadline.toString(),
      },
      signature: signed.signature,
    };
    return withdrawalResultSchema.parse(await this.call("POST", "/v1/withdrawals", body));
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new RelayerError(
        `the relayer at ${this.url} cannot be reached (${(e as Error).message}): start it (npm run dev starts one), or submit directly`,
        0,
        "unreachable",
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RelayerError(
        `the relayer at ${this.url} answered ${res.status} with something other than JSON`,
        res.status,
        "bad_answer",
      );
    }
    if (!res.ok) {
      const r = refusalSchema.safeParse(json);
      throw new RelayerError(
        r.success ? r.data.error : `the relayer answered ${res.status}`,
        res.status,
        r.success ? r.data.code : "http_error",
      );
    }
    return json;
  }
}
