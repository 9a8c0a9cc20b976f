/** `zklabel group join` and `zklabel withdraw`: a worker joins the open group, and takes out what it earned. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { withdrawPayees } from "@zklabel/sdk/payees";
import { RelayerClient } from "@zklabel/sdk/relayer";
import { formatEther, zeroAddress } from "viem";
import { type Ctx, connect, inputError, loadIdentity } from "../common.ts";
import { address, bigWhole, chainOptions, identityFileOption, payee } from "../options.ts";

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
      .description(
        "withdraw your credits (ETH, or a token); with --task, your payees' through the relayer, without gas",
      )
      .option("--to <ADDRESS>", "where they go (default: the signing account; required with --task)", payee)
      .option("--token <ADDRESS>", "the token (default: ETH)", address, zeroAddress)
      .option(
        "--task <ID>",
        "withdraw what this task paid to your identity's payees, gaslessly through the relayer",
        bigWhole,
      )
      .option("--relayer <URL>", "the relayer (default: the deployment's relayerUrl)")
      .addOption(identityFileOption())
      .addHelpText(
        "after",
        `
Without --task it sends the signing account's credit (--account N or ZKLABEL_PRIVATE_KEY). With
--task, each batch's payee (derived from your identity; zklabel work paid them) signs a withdrawal
of its credit to --to, and the relayer submits it for its fee: no ETH needed anywhere. One payee's
withdrawal to --to links it to that address: use a fresh --to to stay unlinked.`,
      ),
  ).action(async (o) => {
    if (o.task === undefined) {
      const { client, account } = await connect(o);
      const to = o.to ?? account;
      const amount = await client.credits(account, o.token);
      const hash = await client.withdraw(to, o.token);
      const what = o.token === zeroAddress ? `${formatEther(amount)} ETH` : `${amount} units`;
      ctx.out(`withdrew ${what} to ${to} (tx ${hash})`, { ok: true, amount, to, hash });
      return;
    }
    if (!o.to) throw inputError("--task withdraws to an address you name: pass --to ADDRESS");
    const id = await loadIdentity(o.identityFile);
    const { client, deployment } = await connect(o, false);
    const url = o.relayer ?? deployment.relayerUrl;
    if (!url) throw inputError("the deployment names no relayer: pass --relayer URL");
    const r = await withdrawPayees({
      client,
      relayer: new RelayerClient(url),
      identity: id,
      taskId: o.task,
      to: o.to,
      token: o.token,
    });
    const { paid, fee: fees } = r;
    const hashes = r.withdrawals.map((w) => w.txHash);
    const what = (x: bigint) => (o.token === zeroAddress ? `${formatEther(x)} ETH` : `${x} units`);
    ctx.out(
      hashes.length
        ? `withdrew ${what(paid)} to ${o.to} from ${hashes.length} payee${hashes.length === 1 ? "" : "s"} of task ${o.task} through the relayer (its fee ${what(fees)})`
        : `nothing to withdraw: no payee of yours holds credit from task ${o.task}`,
      { ok: true, amount: paid, fee: fees, to: o.to, hashes },
    );
  });
}
