/** `zklabel group join` and `zklabel withdraw`: a worker joins the open group, and takes out what it earned. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { formatEther, zeroAddress } from "viem";
import { type Ctx, connect, loadIdentity } from "../common.ts";
import { address, chainOptions, identityFileOption, payee } from "../options.ts";

export function groupCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  chainOptions(
    program
      .command("group")
      .description("worker groups")
      .command("join")
      .description("add your identity's commitment to the open worker group")
      .addOption(identityFileOption()),
  ).action(async (o) => {
    const id = await loadIdentity(o.identityFile);
    const { client } = await connect(o);
    const hash = await client.joinOpenGroup(id.commitment);
    ctx.out(`joined the open group (tx ${hash})`, { ok: true, commitment: id.commitment, hash });
  });

  chainOptions(
    program
      .command("withdraw")
      .description("withdraw your credits (ETH, or a token)")
      .option("--to <ADDRESS>", "where they go (default: the signing account)", payee)
      .option("--token <ADDRESS>", "the token (default: ETH)", address, zeroAddress),
  ).action(async (o) => {
    const { client, account } = await connect(o);
    const to = o.to ?? account;
    const amount = await client.credits(account, o.token);
    const hash = await client.withdraw(to, o.token);
    const what = o.token === zeroAddress ? `${formatEther(amount)} ETH` : `${amount} units`;
    ctx.out(`withdrew ${what} to ${to} (tx ${hash})`, { ok: true, amount, to, hash });
  });
}
