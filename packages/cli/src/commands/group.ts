/** `zklabel group join` and `zklabel withdraw`: a worker joins the open group, and takes out what it earned. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { RelayerClient } from "@zklabel/sdk/relayer";
import { formatEther, zeroAddress } from "viem";
import { type Ctx, connect, inputError, loadIdentity } from "../common.ts";
import { address, chainOptions, identityFileOption, payee } from "../options.ts";

export function groupCommands(program: CommandUnknownOpts, ctx: Ctx): void {
  chainOptions(
    program
      .command("group")
      .description("worker groups")
      .command("join")
      .description("add your identity's commitment to the open worker group")
      .option("--relayer <URL>", "the relayer that pays for the join (default: the deployment's relayerUrl)")
      .option("--direct", "join from the signing account (it then appears on-chain beside your commitment)")
      .addOption(identityFileOption())
      .addHelpText(
        "after",
        `
By default the relayer sends the join and pays its gas, so no address of yours appears beside your
commitment. --direct sends it from the signing account (--account N or ZKLABEL_PRIVATE_KEY).`,
      ),
  ).action(async (o) => {
    const id = await loadIdentity(o.identityFile);
    const { client, deployment } = await connect(o, o.direct === true);
    if (o.direct) {
      const hash = await client.joinOpenGroup(id.commitment);
      ctx.out(`joined the open group from your account (tx ${hash})`, { ok: true, commitment: id.commitment, hash });
      return;
    }
    const url = o.relayer ?? deployment.relayerUrl;
    if (!url) {
      throw inputError(
        "the deployment names no relayer: pass --relayer URL, or --direct to join from your own account (it then appears on-chain beside your commitment)",
      );
    }
    const r = await new RelayerClient(url).join(id.commitment);
    ctx.out(`joined the open group through the relayer (tx ${r.txHash}; the group has ${r.groupSize} members)`, {
      ok: true,
      commitment: id.commitment,
      hash: r.txHash,
      groupSize: r.groupSize,
    });
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
