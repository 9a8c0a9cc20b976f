/**
 * The relayer's HTTP API on the shared framework (docs/protocol.md §7.2):
 *
 * - `GET /v1/info`: its address, chain, minimum fee, batching, balance;
 * - `POST /v1/proofs` `{taskId, batchIndex, proof, publicInputs}`: a ticket (the same for the same proof);
 * - `GET /v1/tickets/:id`: where the ticket stands;
 * - `POST /v1/joins` `{identityCommitment}`: a sponsored join of the open group;
 * - `POST /v1/withdrawals` `{message, signature}`: a gasless withdrawal, for a fee.
 *
 * Logs name tickets, tasks, batches and transactions: nothing the chain does not show.
 */
import { createService, listen } from "@zklabel/http/service";
import { joinRequestSchema, proofSubmissionSchema, withdrawalRequestSchema } from "@zklabel/sdk/relayer";
import type { FastifyInstance } from "fastify";
import { createRelayer, type RelayerOptions } from "./relayer.ts";

/** Per-client limits of the relayer's routes. */
export interface RelayerHttpLimits {
  /** Requests a minute from one client, across routes. */
  requestsPerMinute: number;
  /** Proofs a minute from one client. */
  proofsPerMinute: number;
  /** Sponsored joins an hour from one client. */
  joinsPerHour: number;
  /** Gasless withdrawals an hour from one client (one per payee, so a worker sends several). */
  withdrawalsPerHour: number;
  /** Largest body, bytes (a proof with its inputs is a few kilobytes). */
  bodyBytes: number;
}

export const DEFAULT_RELAYER_LIMITS: RelayerHttpLimits = {
  requestsPerMinute: 600,
  proofsPerMinute: 30,
  joinsPerHour: 3,
  withdrawalsPerHour: 120,
  bodyBytes: 64 * 1024,
};

export interface RelayerServerOptions extends RelayerOptions {
  limits?: Partial<RelayerHttpLimits>;
  trustProxy?: boolean;
  /** How often the queue is worked, ms. */
  intervalMs?: number;
}

export async function relayerApp(
  relayer: ReturnType<typeof createRelayer>,
  opts: { limits: RelayerHttpLimits; trustProxy?: boolean; log?: (line: string) => void },
): Promise<FastifyInstance> {
  const app = await createService({
    name: "a zkLabel relayer",
    docs: "docs/protocol.md §7.2",
    bodyLimit: opts.limits.bodyBytes,
    rateLimit: { max: opts.limits.requestsPerMinute, windowMs: 60_000 },
    trustProxy: opts.trustProxy,
    log: opts.log,
  });
  app.get("/v1/health", async () => ({ ok: true }));
  app.get("/v1/info", async () => relayer.info());
  app.post(
    "/v1/proofs",
    {
      schema: { body: proofSubmissionSchema },
      config: {
        badRequest: "a proof is {taskId, batchIndex, proof: 8 decimal words, publicInputs: decimal words}",
        rateLimit: { max: opts.limits.proofsPerMinute, timeWindow: 60_000 },
      },
    },
    async (req, reply) => {
      const t = await relayer.accept(req.body as never);
      reply.status(t.status === "queued" && Date.now() - t.createdAt < 1000 ? 202 : 200);
      return t;
    },
  );
  app.get("/v1/tickets/:id(^0x[0-9a-fA-F]{64}$)", async (req) => relayer.ticket((req.params as { id: string }).id));
  app.post(
    "/v1/joins",
    {
      schema: { body: joinRequestSchema },
      config: {
        badRequest: "a join is {identityCommitment: a decimal field element}",
        rateLimit: { max: opts.limits.joinsPerHour, timeWindow: 3_600_000 },
      },
    },
    async (req) => relayer.join(BigInt((req.body as { identityCommitment: string }).identityCommitment)),
  );
  app.post(
    "/v1/withdrawals",
    {
      schema: { body: withdrawalRequestSchema },
      config: {
        badRequest: "a withdrawal is {message: {token, account, to, amount, fee, relayer, nonce, deadline}, signature}",
        rateLimit: { max: opts.limits.withdrawalsPerHour, timeWindow: 3_600_000 },
      },
    },
    async (req) => relayer.withdraw(req.body as never),
  );
  return app;
}

/** Starts a relayer on `port` (0: any free port) and its queue worker. */
export async function startRelayer(
  opts: RelayerServerOptions & { port?: number; host?: string },
): Promise<{ url: string; relayer: ReturnType<typeof createRelayer>; close(): Promise<void> }> {
  const relayer = createRelayer(opts);
  const limits = { ...DEFAULT_RELAYER_LIMITS, ...opts.limits };
  const server = await listen(
    await relayerApp(relayer, { limits, trustProxy: opts.trustProxy, log: opts.log }),
    opts.port ?? 0,
    opts.host ?? "127.0.0.1",
  );
  relayer.start(opts.intervalMs ?? 500);
  return {
    url: server.url,
    relayer,
    async close() {
      await server.close();
      await relayer.stop();
      opts.store.close();
    },
  };
}
