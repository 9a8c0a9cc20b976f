/** `zklabel spec check FILE`: validate a task spec and show what it resolves to. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { resolveTaskSpec } from "@zklabel/sdk/spec";
import { type Ctx, readJson } from "../common.ts";

export function specCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  program
    .command("spec")
    .description("task spec files")
    .command("check")
    .description("validate a task spec (JSON) and print what it resolves to")
    .argument("<FILE>", "the spec file")
    .action(async (file) => {
      const r = resolveTaskSpec(await readJson(file));
      ctx.out(
        `ok: rule ${r.spec.rule.type} (id ${r.ruleId}), params [${r.ruleParams.join(", ")}], reward ${r.rewardPerItem} per item, deadline ${new Date(Number(r.deadline) * 1000).toISOString()}`,
        { ok: true, ruleId: r.ruleId, ruleParams: r.ruleParams, rewardPerItem: r.rewardPerItem, deadline: r.deadline },
      );
    });
}
