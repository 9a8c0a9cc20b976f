/**
 * The HTTP framework zkLabel's services share: the data vault and the relayer. It is Fastify with
 * what both need set up once, the same way:
 *
 * - bodies validated by zod schemas (`schema: { body }` on a route); a route names what a good
 *   body looks like in `config.badRequest`, and a bad one is answered with those words;
 * - JSON bodies up to `bodyLimit`, raw bodies where a route asks for them (`rawBodyRoutes`);
 * - per-client rate limits (by IP address, or the forwarded address behind a trusted proxy), with
 *   a route's own limit in `config.rateLimit`;
 * - every refusal as `{error, code}` with its HTTP status, never a stack trace; an unexpected
 *   failure is logged with its stack and answered with a sentence;
 * - CORS open to any origin (the services serve browsers on other ports).
 */
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaCompiler,
} from "fastify";
import type { ZodType } from "zod";

/** A refusal with its HTTP status and stable code; `message` says what is wrong and what to do. */
export class Refusal extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A per-client limit: at most `max` requests per `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** How a service is set up. */
export interface ServiceOptions {
  /** What the service is, in refusals ("a zkLabel vault"). */
  name: string;
  /** Where its API is described, for unknown routes ('docs/protocol.md "Data vault"'). */
  docs: string;
  /** Largest JSON body, bytes. */
  bodyLimit: number;
  /** Requests per client across all routes; a route may set a tighter one. */
  rateLimit: RateLimit;
  /** Take the client's address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  log?: (line: string) => void;
}

declare module "fastify" {
  interface FastifyContextConfig {
    badRequest?: string;
    bodyName?: (req: FastifyRequest) => string;
  }
}

/** Zod schemas as Fastify validators: the parsed (and transformed) value replaces the body. */
const zodCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema }) =>
  (data) => {
    const r = schema.safeParse(data);
    return r.success ? { value: r.data } : { error: new Error(r.error.issues.map(issueText).join("; ")) };
  };

function issueText(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function seconds(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? plural(s, "second") : plural(Math.ceil(s / 60), "minute");
}

/** Answers a refusal (or any other failure) in words. */
function answer(e: FastifyError | Refusal | Error, req: FastifyRequest, reply: FastifyReply, opts: ServiceOptions) {
  const send = (status: number, code: string, error: string) =>
    reply.status(status).header("content-type", "application/json").send({ error, code });
  if (e instanceof Refusal) return send(e.status, e.code, e.message);
  const fe = e as FastifyError;
  if (fe.validation || fe.validationContext || fe.code === "FST_ERR_VALIDATION") {
    const wanted = req.routeOptions.config.badRequest;
    return send(400, "bad_request", wanted ? `${wanted} (${fe.message})` : `the request is not valid: ${fe.message}`);
  }
  switch (fe.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE": {
      const what = req.routeOptions.config.bodyName?.(req) ?? "the request";
      const limit = req.routeOptions.bodyLimit ?? opts.bodyLimit;
      const declared = Number(req.headers["content-length"] ?? 0);
      return send(
        413,
        "too_large",
        declared > limit
          ? `${what} is ${declared} bytes; the limit is ${limit}`
          : `${what} is larger than the limit of ${limit} bytes`,
      );
    }
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return send(415, "bad_media_type", `send the body as application/json (got ${req.headers["content-type"]})`);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return send(400, "bad_request", "the request's Content-Length does not match its body");
  }
  if (fe.statusCode === 429) return send(429, "rate_limited", fe.message);
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    return send(fe.statusCode, "bad_request", fe.message);
  }
  opts.log?.(`error on ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return send(500, "internal", `the ${opts.name.replace(/^an? /, "")} failed on this request; its log says why`);
}

/**
 * A Fastify instance with the shared behaviour. Register routes on it, then `listen` it.
 * JSON is parsed from any content type but `application/octet-stream`; an empty JSON body is `{}`.
 */
export async function createService(opts: ServiceOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: opts.bodyLimit,
    trustProxy: opts.trustProxy ?? false,
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    // The services answer long downloads and uploads: keep the defaults generous but bounded.
    requestTimeout: 10 * 60_000,
    // An idle keep-alive connection closes after 5 s, announced as "Keep-Alive: timeout=5", so a
    // client drops it first. Fastify's 72 s outlives Node's 60 s headers timeout, which can close
    // an idle connection sooner than announced: a client that reused it after a minute of silence
    // got "other side closed" (the privacy scan's relayer call after the 80 s flow).
    keepAliveTimeout: 5_000,
  });
  app.setValidatorCompiler(zodCompiler);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new Refusal(400, "bad_json", "the request body is not valid JSON"), undefined);
    }
  });
  app.setErrorHandler((e, req, reply) => answer(e as FastifyError, req, reply, opts));
  app.setNotFoundHandler((req, reply) =>
    answer(
      new Refusal(
        404,
        "not_found",
        `no ${req.method} ${new URL(req.url, "http://x").pathname.replace(/\/+$/, "")} on ${opts.name} (see ${opts.docs})`,
      ),
      req,
      reply,
      opts,
    ),
  );
  await app.register(cors, {
    origin: "*",
    methods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    allowedHeaders: ["content-type", "authorization"],
  });
  await app.register(rateLimit, {
    global: true,
    max: opts.rateLimit.max,
    timeWindow: opts.rateLimit.windowMs,
    // The limit is per client address; a refusal says when to come back.
    errorResponseBuilder: (req, ctx) => {
      const own = req.routeOptions.config.rateLimit as { timeWindow?: number } | false | undefined;
      const window = Number((own ? own.timeWindow : undefined) ?? opts.rateLimit.windowMs);
      const e = new Refusal(
        429,
        "rate_limited",
        `too many requests from this address: this route takes ${ctx.max} per ${seconds(window)} from one client; try again in ${seconds(ctx.ttl)}`,
      );
      (e as unknown as { statusCode: number }).statusCode = 429;
      return e;
    },
  });
  return app;
}

/** Starts `app` on `port` (0: any free port); resolves with its URL and a close function. */
/** Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost): reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

export async function listen(
  app: FastifyInstance,
  port: number,
  host: string,
): Promise<{ url: string; close(): Promise<void> }> {
  await app.listen({ port, host });
  const addr = app.server.address();
  const bound = typeof addr === "object" && addr ? addr.port : port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
    async close() {
      // Idle keep-alive connections would hold close() open.
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
