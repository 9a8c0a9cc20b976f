#!/usr/bin/env node
/**
 * `zklabel`: zkLabel from the command line (`npm run -s zklabel -- <command>`).
 *
 * Exit codes: 0 done; 1 the chain or a contract refused (the message says why);
 * 2 wrong usage; 3 invalid input (spec, dataset, identity key, file). They come from each
 * error's stable code (src/errors.ts), never from its class.
 */
import { CommanderError } from "@commander-js/extra-typings";
import { createCtx } from "./common.ts";
import { exitCodeOf, reportFailure } from "./errors.ts";
import { buildProgram } from "./program.ts";

/** Runs one command line; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const ctx = createCtx();
  try {
    await buildProgram(ctx).parseAsync(argv.length ? [...argv] : ["--help"], { from: "user" });
    return ctx.exitCode;
  } catch (e) {
    // Help or the version was shown: the framework's way of ending a run that did its job.
    if (e instanceof CommanderError && e.exitCode === 0) return 0;
    // --json is read from the command line itself: a failure may come before it was parsed.
    reportFailure(e, ctx.json || argv.includes("--json"));
    return exitCodeOf(e);
  }
}

if (process.argv[1] === import.meta.filename) process.exitCode = await main(process.argv.slice(2));
