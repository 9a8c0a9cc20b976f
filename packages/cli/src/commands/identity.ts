/** `zklabel identity new|show|export|import`: the worker's anonymous identity, a file in ~/.zklabel. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { Identity, parseIdentityKey } from "@zklabel/core/identity";
import { type Ctx, identityPath, inputError, loadIdentity } from "../common.ts";
import { identityFileOption } from "../options.ts";

const exists = async (path: string) => (await readFile(path, "utf8").catch(() => null)) !== null;

async function save(path: string, id: Identity) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${id.export()}\n`, { mode: 0o600 });
}

export function identityCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  const identity = program.command("identity").description("your anonymous worker identity (a file in ~/.zklabel)");

  identity
    .command("new")
    .description("create an identity (losing it loses your group memberships: back it up)")
    .addOption(identityFileOption())
    .option("--force", "replace an existing identity")
    .action(async (o) => {
      const path = identityPath(o.identityFile);
      if (!o.force && (await exists(path))) {
        throw inputError(
          `an identity already exists at ${path}; back it up (zklabel identity export) and pass --force to replace it`,
        );
      }
      const id = new Identity();
      await save(path, id);
      ctx.out(
        `created ${path}\ncommitment ${id.commitment}\nBack it up with \`zklabel identity export\`: losing it loses your group memberships.`,
        { path, commitment: id.commitment },
      );
    });

  identity
    .command("show")
    .description("your public commitment (what a group admin adds)")
    .addOption(identityFileOption())
    .action(async (o) => {
      const id = await loadIdentity(o.identityFile);
      ctx.out(`commitment ${id.commitment}`, { commitment: id.commitment });
    });

  identity
    .command("export")
    .description("print the secret key (back it up; anyone with it can prove as you)")
    .addOption(identityFileOption())
    .action(async (o) => {
      const id = await loadIdentity(o.identityFile);
      ctx.out(id.export(), { key: id.export() });
    });

  identity
    .command("import")
    .description("store a key from `zklabel identity export`")
    .addOption(identityFileOption())
    .argument("<KEY>", "the exported key")
    .option("--force", "replace an existing identity")
    .action(async (key, o) => {
      const path = identityPath(o.identityFile);
      let id: Identity;
      try {
        id = parseIdentityKey(key);
      } catch (e) {
        throw inputError(`${e instanceof Error ? e.message : String(e)} Use a key from \`zklabel identity export\`.`);
      }
      if (!o.force && (await exists(path))) {
        throw inputError(`an identity already exists at ${path}; pass --force to replace it`);
      }
      await save(path, id);
      ctx.out(`imported into ${path}\ncommitment ${id.commitment}`, { path, commitment: id.commitment });
    });
}
