/** `zklabel doctor`: checks a deployment against this build and the chain (packages/cli/src/doctor.ts). */
import { join } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { type Ctx, connect, EXIT, ROOT } from "../common.ts";
import { doctor } from "../doctor.ts";
import { readChainOptions } from "../options.ts";

export function doctorCommand(program: CommandUnknownOpts, ctx: Ctx): void {
  readChainOptions(
    program
      .command("doctor")
      .description(
        "check a deployment: on-chain code is this build's, served circuit files and verification keys are the deployed ones, the rule registry and roots agree",
      )
      .option("--app <URL>", "check the circuit files the app at URL serves (its /circuits/)")
      .option("--circuits <DIR>", "check the circuit files in DIR (default: apps/web/public/circuits)"),
  ).action(async (o) => {
    const c = await connect(o, false);
    const src = o.app ? { appUrl: o.app } : { dir: o.circuits ?? join(ROOT, "apps/web/public/circuits") };
    const checks = await doctor(c, src).finally(releaseSnarkjs);
    const failed = checks.filter((x) => !x.ok);
    ctx.out(
      [
        `${c.deployment.network} (chain ${c.deployment.chainId}), escrow ${c.deployment.escrow}: ${failed.length === 0 ? "all checks pass" : `${failed.length} PROBLEM${failed.length === 1 ? "" : "S"}`}`,
        ...checks.map((x) => `  ${x.ok ? "ok  " : "FAIL"} ${x.area.padEnd(8)} ${x.what}: ${x.detail}`),
      ].join("\n"),
      { ok: failed.length === 0, network: c.deployment.network, chainId: c.deployment.chainId, checks },
    );
    if (failed.length > 0) ctx.exitCode = EXIT.failed;
  });
}
