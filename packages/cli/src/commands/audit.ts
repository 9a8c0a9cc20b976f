/**
 * `zklabel audit task|item`: anyone re-verifies a task's submitted proofs locally (with the task's
 * own rule circuit) and checks its events against storage; or finds a file in a dataset.
 */
import { join } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { releaseSnarkjs } from "@zklabel/core/prove";
import { ruleById, ruleCircuit } from "@zklabel/core/rules";
import { auditTask } from "@zklabel/sdk/audit";
import { type Ctx, connect, EXIT, ROOT, readJson } from "../common.ts";
import { bigWhole, readChainOptions } from "../options.ts";
import { eventsOf } from "../task-access.ts";
import { findCommand } from "./dataset.ts";

const yes = (b: boolean) => (b ? "yes" : "NO");

export function auditCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const audit = program.command("audit").description("check a task's proofs, or a file's place in a dataset");

  readChainOptions(
    audit
      .command("task")
      .description("re-verify every submitted proof locally, check events against storage")
      .argument("<ID>", "the task", bigWhole)
      .option("--vkey <FILE>", "verification key (default: the task's rule circuit's vkey.json from the build)"),
  ).action(async (taskId, o) => {
    const c = await connect(o, false);
    const stored = await c.client.getTask(taskId);
    const circuit = ruleCircuit(ruleById(stored.ruleId));
    const vkey = await readJson(o.vkey ?? join(ROOT, "build/circuits", circuit.name, "vkey.json"));
    const logs = await eventsOf(c).read();
    const report = await auditTask({
      client: c.client.publicClient,
      escrow: c.client.escrow,
      taskId,
      logs,
      circuit,
      vkey,
    }).finally(releaseSnarkjs);
    const n = report.batches.length;
    ctx.out(
      [
        `task ${taskId}: ${n} submitted batch${n === 1 ? "" : "es"}, ${report.ok ? "all verify" : "PROBLEMS FOUND"}`,
        ...report.batches.map(
          (b) =>
            `  batch ${b.batchIndex} (${b.state}, tx ${b.transaction.slice(0, 10)}…): proof valid ${yes(b.proofValid)}, event = inputs ${yes(b.eventMatchesInputs)}, storage agrees ${yes(b.storageAgrees)}`,
        ),
      ].join("\n"),
      report,
    );
    if (!report.ok) ctx.exitCode = EXIT.failed;
  });

  findCommand(audit, "item", ctx);
}
