/**
 * `zklabel task create`: the requester's post, as the SDK's staged postTask (the same steps as
 * the app's post form) with each stage reported on stderr. Items go to the vault beforehand,
 * with `zklabel dataset upload`.
 */
import { chmod, writeFile } from "node:fs/promises";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { ruleById } from "@zklabel/core/rules";
import { checkManifest } from "@zklabel/sdk/dataset";
import { goldAdvice } from "@zklabel/sdk/gold";
import { type PostStage, postTask } from "@zklabel/sdk/post";
import { resolveTaskSpec } from "@zklabel/sdk/spec";
import { type Ctx, connect, inputError, log, readJson, signWith, usageError } from "../common.ts";
import { bigWhole, chainOptions, vaultUrlOption } from "../options.ts";
import { DEFAULT_VAULT_URL } from "./vault.ts";

const STAGES: Record<PostStage, string> = {
  check: "checking the manifest against the rule's circuit, the worker group and your balance",
  key: "deriving your label-encryption key (a wallet signature)",
  gold: "committing to the gold answers",
  upload: "uploading the items",
  approve: "approving the token for the escrow",
  create: "creating and funding the task",
};

export function taskCreateCommand(task: CommandUnknownOpts, ctx: Ctx): void {
  chainOptions(
    task
      .command("create")
      .description("create and fund a task from a spec and a manifest")
      .requiredOption("--spec <FILE>", "the task spec (check it with zklabel spec check)")
      .requiredOption("--manifest <MANIFEST>", "the dataset's manifest (upload its items with zklabel dataset upload)")
      .option(
        "--gold <GOLD.json>",
        'gold answers: [{"item": name or index, "label": class name}, ...] (boxes add "box": [x, y, w, h])',
      )
      .option("--funding <WEI>", "amount to lock now (default: items × reward)", bigWhole)
      .addOption(vaultUrlOption(DEFAULT_VAULT_URL))
      .addHelpText(
        "after",
        `
--vault is where workers download the items; the task's metadata names it.
--gold needs "gold" in the spec; the secret openings are written next to the file as
GOLD.openings.json (readable by you only) before the task is posted: keep them.
Give about 5-10 % of the items as gold, at least one per batch: a batch with no gold item
cannot be rejected. Review with \`zklabel review\` within the challenge window: a batch you
do not reject before its window ends is paid. Sensor-range tasks take no gold items (the
circuit fixes every label from the readings).`,
      ),
  ).action(async (o) => {
    const spec = resolveTaskSpec(await readJson(o.spec));
    const { manifest } = checkManifest(await readJson(o.manifest));
    const rule = ruleById(spec.ruleId);
    // postTask checks this too; here the message can name the flag that builds the right kind.
    if ((manifest.kind ?? "content") !== rule.datasetKind) {
      throw inputError(
        `the manifest is a ${manifest.kind ?? "content"} dataset; a ${rule.name} task needs one built with --kind ${rule.datasetKind}`,
      );
    }
    if (spec.spec.gold && o.gold === undefined) {
      throw usageError('the spec has "gold": pass --gold GOLD.json with the gold items and their answers');
    }
    if (o.gold !== undefined && !rule.gold) {
      throw usageError(
        `${rule.title} tasks take no gold items: the circuit already fixes each label from the item. Drop --gold and the spec's "gold"`,
      );
    }
    const goldOut = o.gold?.replace(/(\.json)?$/, ".openings.json");
    let advice: string | undefined;
    const c = await connect(o);
    const posted = await postTask({
      client: c.client,
      deployment: c.deployment,
      spec,
      manifest,
      funding: o.funding,
      signMessage: signWith(c.wallet),
      gold: o.gold === undefined ? undefined : await readJson(o.gold),
      keepGold: async (openings, taskId) => {
        if (taskId !== undefined || goldOut === undefined) return;
        await writeFile(goldOut, `${JSON.stringify(openings, null, 2)}\n`, { mode: 0o600 });
        await chmod(goldOut, 0o600);
        const goldItems = openings.items.filter((x) => x.isGold === 1).map((x) => x.index);
        const a = goldAdvice(manifest.count, manifest.batchSize, goldItems);
        const share = ((100 * goldItems.length) / manifest.count).toFixed(1);
        advice = `${goldItems.length} gold item(s), ${share}% of ${manifest.count} (advised: ${a.advised.low} to ${a.advised.high}, at least one per batch)`;
        if (a.batchesWithoutGold.length)
          advice += `; ${a.batchesWithoutGold.length} of ${a.batches} batches hold no gold item (${a.batchesWithoutGold.slice(0, 8).join(", ")}${a.batchesWithoutGold.length > 8 ? ", ..." : ""}) and cannot be rejected`;
        log(`task create: ${advice}`);
      },
      vaultUrl: o.vault ?? DEFAULT_VAULT_URL,
      onStage: (s) => log(`task create: ${STAGES[s]}…`),
    });
    const nonce = posted.key.nonce;
    ctx.out(
      `created task ${posted.taskId} (tx ${posted.hash}) with the rule ${spec.ruleId} verifier ${posted.verifier} that the deployment names (the escrow refuses the task if its registry holds another); your decryption key is derived from your wallet's signature with key nonce ${nonce} (kept in the task's metadata)${goldOut ? `\ngold openings (secret, keep them): ${goldOut}` : ""}`,
      {
        taskId: posted.taskId,
        hash: posted.hash,
        verifier: posted.verifier,
        keyNonce: nonce,
        goldOpenings: goldOut,
        ...(advice ? { gold: advice } : {}),
      },
    );
  });
}
