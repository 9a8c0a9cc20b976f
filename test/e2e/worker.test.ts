/**
 * Browser end-to-end: the worker's whole path through the web app against the real
 * stack (Hardhat node, deployed escrow, seeded demo task, `next dev`):
 * connect the dev wallet (account #1), create an anonymous identity (export, import),
 * join the open worker group, label batch 1 (36 items), see a rule violation block
 * proving, fix it, prove the complete worker proof in the browser (snarkjs in a Web
 * Worker), submit, get paid 36 x 0.001 ETH, check the requester decrypts exactly
 * those labels from the chain, withdraw.
 *
 * Run: node --test test/e2e/worker.test.ts
 * Env: ZKLABEL_RPC_PORT / ZKLABEL_WEB_PORT (default 8545 / 3000), CHROME_PATH (default /usr/bin/chromium).
 * Screenshots: test-results/e2e/*.png
 *
 * This file does not import snarkjs (the proof is made in the browser), so there are
 * no snarkjs worker threads to release at the end.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openWorkerBatch } from "@zklabel/core/classification";
import { DEMO_CLASSES, demoItems } from "@zklabel/core/demo";
import { requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { describeError } from "@zklabel/sdk/errors";
import { type BrowserContext, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, getAddress, http, parseEther, zeroAddress } from "viem";
import { ROOT } from "../../scripts/lib/process.ts";
import { type Stack, startStack } from "../../scripts/lib/stack.ts";

const RPC_PORT = Number(process.env.ZKLABEL_RPC_PORT ?? 8545);
const WEB_PORT = Number(process.env.ZKLABEL_WEB_PORT ?? 3000);
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "test-results", "e2e");
const PROVE_TIMEOUT = 180_000;

const BATCH = 1;
const REWARD = parseEther("0.001");
const items = demoItems();
const N = 64;
const batchItems = items.slice(BATCH * N, (BATCH + 1) * N); // 36 items: 64..99
const OFF_TOPIC = DEMO_CLASSES.indexOf("off-topic");

/**
 * Console errors that are known to be harmless, each with the reason it is ignored.
 * Everything else logged as an error (or thrown uncaught) by the page fails the test.
 */
const IGNORED_CONSOLE_ERRORS: { pattern: RegExp; reason: string }[] = [
  // (none needed so far: keep this list short and justified)
];

const log = (m: string) => console.log(`[e2e] ${m}`);

describe("worker flow in the browser", () => {
  let stack: Stack | undefined;
  let context: BrowserContext | undefined;
  let profileDir: string | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  let shot = 0;

  const screenshot = async (name: string) => {
    const file = join(SHOTS, `${String(++shot).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
  };
  const byTestId = (id: string) => page.getByTestId(id);

  before(
    async () => {
      await rm(SHOTS, { recursive: true, force: true }); // no stale screenshots from an earlier run
      await mkdir(SHOTS, { recursive: true });
      stack = await startStack({ rpcPort: RPC_PORT, webPort: WEB_PORT, log: (m) => log(`stack: ${m}`) });
      profileDir = await mkdtemp(join(tmpdir(), "zklabel-e2e-chrome-"));
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROME,
        headless: true,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
        viewport: { width: 1280, height: 900 },
      });
      page = context.pages()[0] ?? (await context.newPage());
      const onConsole = (where: string) => (m: ConsoleMessage) => {
        if (m.type() !== "error") return;
        const text = `${where}: ${m.text()}${m.location().url ? ` (${m.location().url})` : ""}`;
        if (IGNORED_CONSOLE_ERRORS.some((i) => i.pattern.test(text))) return;
        consoleErrors.push(text);
        log(`console error ${text}`);
      };
      page.on("console", onConsole("page"));
      page.on("worker", (w) => w.on("console", onConsole(`worker ${w.url()}`)));
      page.on("pageerror", (e) => {
        consoleErrors.push(`uncaught: ${e.stack ?? e.message}`);
        log(`page error ${e.message}`);
      });
    },
    { timeout: 300_000 },
  );

  after(async () => {
    await context?.close().catch(() => {});
    await stack?.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it("labels batch 1, proves in the browser, gets paid 36 x 0.001 ETH and withdraws", {
    timeout: 600_000,
  }, async (t) => {
    assert.ok(stack);
    const { deployment: d, rpcUrl, appUrl } = stack;
    const client = createPublicClient({ transport: http(rpcUrl) });
    const escrow = d.escrow as Address;
    const taskId = BigInt(d.demoTask.taskId);
    const nodeAccounts = (await createWalletClient({ transport: http(rpcUrl) }).getAddresses()).map((a) =>
      getAddress(a),
    );
    const worker = nodeAccounts[1];
    const credits = () =>
      client.readContract({ address: escrow, abi: escrowAbi, functionName: "credits", args: [zeroAddress, worker] });
    assert.equal(await credits(), 0n, "the worker starts with no credits");

    // 1. The app loads the deployment and shows the task.
    await page.goto(appUrl, { timeout: 180_000 });
    await byTestId("task-title").waitFor({ timeout: 180_000 });
    assert.equal(await byTestId("task-title").textContent(), d.demoTask.title);
    assert.equal(await byTestId("reward-per-item").getAttribute("data-wei"), REWARD.toString());
    await screenshot("loaded");

    // 2. Dev wallet, account #1 (the default; #0 is the demo requester).
    const select = byTestId("dev-account-select");
    await select.waitFor();
    assert.equal(await select.inputValue(), "1");
    await byTestId("connect-dev-wallet").click();
    await byTestId("connected-address").waitFor();
    assert.equal(await byTestId("connected-address").getAttribute("data-address"), worker);
    assert.equal(await byTestId("connected-chain").getAttribute("data-chain-id"), "31337");
    assert.match((await byTestId("connected-chain").textContent()) ?? "", /31337/);
    await screenshot("connected");

    // 2b. An anonymous identity: created in the browser, exported, imported back; a bad key is refused in words.
    assert.equal(await byTestId("identity-create").isVisible(), true, "no identity yet in a fresh browser");
    await byTestId("identity-create").click();
    await byTestId("identity-commitment").waitFor();
    const commitment = BigInt((await byTestId("identity-commitment").getAttribute("data-commitment")) ?? "0");
    assert.ok(commitment > 0n);
    await page.locator('[data-testid="group-status"][data-member="false"]').waitFor();
    await page.locator("details.identity-key summary").click();
    const exported = await byTestId("identity-export").inputValue();
    assert.match(exported, /^[A-Za-z0-9+/]+={0,2}$/);
    await page.getByRole("button", { name: "Import another…" }).click();
    await byTestId("identity-import-input").fill("not a key!");
    await byTestId("identity-import-confirm").click();
    assert.match((await byTestId("identity-import-error").textContent()) ?? "", /not an exported identity key/);
    await byTestId("identity-import-input").fill(exported);
    await byTestId("identity-import-confirm").click();
    await byTestId("identity-import-input").waitFor({ state: "detached" });
    assert.equal(await byTestId("identity-commitment").getAttribute("data-commitment"), commitment.toString());
    await page.locator("details.identity-key summary").click();

    // 2c. Join the open worker group with one transaction; the page rebuilds the group from the chain's events.
    await byTestId("join-group").click();
    await page.locator('[data-testid="group-status"][data-member="true"]').waitFor({ timeout: 60_000 });
    await byTestId("joined").waitFor();
    const joined = await client.getContractEvents({
      address: d.groups as Address,
      abi: groupsAbi,
      eventName: "MemberAdded",
      args: { groupId: 0n },
      fromBlock: 0n,
    });
    assert.deepEqual(
      joined.map((e) => e.args.identityCommitment),
      [commitment],
      "the open group holds exactly the commitment made in the browser",
    );
    await screenshot("joined-group");

    // 3. Batch 1: the partial batch of 36 items.
    await byTestId(`batch-${BATCH}`).click();
    assert.equal(await byTestId(`batch-${BATCH}`).getAttribute("aria-pressed"), "true");
    assert.equal(await byTestId(`batch-${BATCH}`).getAttribute("data-accepted"), "false");
    await byTestId(`item-${BATCH * N}`).waitFor();
    assert.equal(await page.locator('li[data-testid^="item-"]').count(), batchItems.length);
    assert.equal(batchItems.length, 36);

    // 4. A label that breaks the rule ("off-topic" is not allowed) blocks proving.
    const first = BATCH * N;
    await byTestId(`label-${first}-${OFF_TOPIC}`).click();
    await byTestId("rule-violations").waitFor();
    assert.match((await byTestId("rule-violations").textContent()) ?? "", /class 3 is not allowed in this task/);
    assert.match((await byTestId("rule-violations").textContent()) ?? "", /off-topic/);
    await byTestId(`item-problem-${first}`).waitFor();
    assert.equal(await byTestId(`item-${first}`).getAttribute("data-state"), "invalid");
    assert.equal(await byTestId("prove-submit").isDisabled(), true);
    await byTestId(`item-${first}`).scrollIntoViewIfNeeded();
    await screenshot("rule-violation");

    // Fix it: the intended sentiment.
    await byTestId(`label-${first}-${batchItems[0].sentiment}`).click();
    await byTestId("rule-violations").waitFor({ state: "detached" });
    assert.equal(await byTestId(`item-${first}`).getAttribute("data-state"), "labeled");

    // 5. Label the rest: the first half by clicking, the second half with number keys
    //    (a number labels the focused item and moves focus to the next one).
    const half = Math.floor(batchItems.length / 2);
    for (let i = 1; i < half; i++) await byTestId(`label-${first + i}-${batchItems[i].sentiment}`).click();
    await byTestId(`label-${first + half}-0`).focus();
    for (let i = half; i < batchItems.length; i++) await page.keyboard.press(String(batchItems[i].sentiment + 1));
    for (let i = 0; i < batchItems.length; i++) {
      assert.equal(
        await byTestId(`item-${first + i}`).getAttribute("data-label"),
        String(batchItems[i].sentiment),
        `item ${first + i} has its intended label`,
      );
    }
    assert.match((await byTestId("labeled-count").textContent()) ?? "", /36 of 36 labeled/);
    assert.equal(await byTestId("prove-submit").isEnabled(), true);
    await screenshot("labeled");

    // 6. Cancel a first proving run: the worker stops and the labels stay.
    const progress = (phase: string) => page.locator(`[data-testid="prove-progress"][data-phase="${phase}"]`);
    await byTestId("prove-submit").click();
    await progress("proving").waitFor({ timeout: PROVE_TIMEOUT });
    assert.equal(
      await byTestId("prove-progress").getAttribute("data-from-cache"),
      "false",
      "the first run downloads the circuit",
    );
    await screenshot("proving");
    await byTestId("prove-cancel").click();
    await progress("cancelled").waitFor();
    assert.equal(await byTestId("prove-submit").isEnabled(), true);
    assert.equal(await byTestId(`item-${first}`).getAttribute("data-label"), String(batchItems[0].sentiment));

    // 7. Prove in the browser (circuit now from the Cache API) and submit.
    const started = Date.now();
    await byTestId("prove-submit").click();
    await progress("proving").waitFor({ timeout: PROVE_TIMEOUT });
    assert.equal(
      await byTestId("prove-progress").getAttribute("data-from-cache"),
      "true",
      "the second run reads the cached circuit",
    );
    const outcome = page.locator('[data-testid="paid"], [data-testid="submit-error"]').first();
    await outcome.waitFor({ timeout: PROVE_TIMEOUT });
    if (await byTestId("submit-error").isVisible()) {
      await screenshot("submit-error");
      assert.fail(`proving or submitting failed: ${await byTestId("submit-error").textContent()}`);
    }
    const provingMs = Number(await byTestId("proving-time").getAttribute("data-ms"));
    t.diagnostic(
      `proof generated in the browser in ${(provingMs / 1000).toFixed(1)} s; prove + submit + confirm took ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    log(
      `browser proving time ${(provingMs / 1000).toFixed(1)} s (whole flow ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    assert.match((await byTestId("tx-hash").getAttribute("data-hash")) ?? "", /^0x[0-9a-f]{64}$/);
    await screenshot("paid");

    // 8. Paid: 36 x 0.001 ETH, on the page and on-chain.
    const expected = REWARD * BigInt(batchItems.length);
    assert.equal(expected, parseEther("0.036"));
    assert.equal(await byTestId("paid").getAttribute("data-wei"), expected.toString());
    assert.match((await byTestId("paid").textContent()) ?? "", /Paid: 0\.036 ETH credited/);
    assert.equal(await byTestId("credits").getAttribute("data-wei"), expected.toString());
    assert.equal(await credits(), expected);
    assert.equal(
      await client.readContract({
        address: escrow,
        abi: escrowAbi,
        functionName: "isBatchAccepted",
        args: [taskId, BigInt(BATCH)],
      }),
      true,
    );
    await page.locator(`[data-testid="batch-${BATCH}"][data-accepted="true"]`).waitFor();

    // 8b. The requester (account #0) decrypts the batch from the BatchSubmitted event alone, with the key its
    //     wallet signature derives, and gets exactly the labels chosen in the browser.
    const [accepted] = await client.getContractEvents({
      address: escrow,
      abi: escrowAbi,
      eventName: "BatchSubmitted",
      args: { taskId, batchIndex: BigInt(BATCH) },
      fromBlock: 0n,
    });
    assert.equal(accepted.args.recipient, worker, "paid to the connected address");
    const requesterWallet = createWalletClient({ account: nodeAccounts[0], transport: http(rpcUrl) });
    const { skR } = requesterKeyFromSignature(
      await requesterWallet.signMessage({ message: requesterKeyMessage(BigInt(d.chainId), d.escrow, 1n) }),
    );
    const opened = openWorkerBatch(
      { epk: [...(accepted.args.epk as readonly [bigint, bigint])], ciphertext: [...(accepted.args.ciphertext ?? [])] },
      skR,
      BigInt(BATCH),
      N,
      accepted.args.labelsCommitment as bigint,
    );
    assert.deepEqual(
      opened.labels.slice(0, batchItems.length),
      batchItems.map((x) => BigInt(x.sentiment)),
      "the requester reads the labels the worker chose",
    );

    // 9. Withdraw to the connected address: credits go to 0 and the ETH arrives.
    const balanceBefore = await client.getBalance({ address: worker });
    await byTestId("withdraw").click();
    await byTestId("withdrawn").waitFor({ timeout: 60_000 });
    assert.equal(await byTestId("withdrawn").getAttribute("data-wei"), expected.toString());
    await page.locator('[data-testid="credits"][data-wei="0"]').waitFor();
    assert.equal(await credits(), 0n);
    const gained = (await client.getBalance({ address: worker })) - balanceBefore;
    assert.ok(
      gained > expected - parseEther("0.001") && gained <= expected,
      `balance grew by ${gained} wei (credits minus gas)`,
    );
    assert.equal(await byTestId("withdraw").isDisabled(), true);
    await screenshot("withdrawn");

    // 10. The account picker switches the dev wallet's account; each account has its own credits.
    await select.selectOption("2");
    await page.locator(`[data-testid="connected-address"][data-address="${nodeAccounts[2]}"]`).waitFor();
    await page.locator('[data-testid="credits"][data-wei="0"]').waitFor();
    await select.selectOption("1");
    await page.locator(`[data-testid="connected-address"][data-address="${worker}"]`).waitFor();

    // 11. After a reload the dev wallet reconnects and batch 1 shows as done.
    await page.reload();
    await page.locator(`[data-testid="connected-address"][data-address="${worker}"]`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="batch-${BATCH}"][data-accepted="true"]`).waitFor();
    assert.match((await byTestId(`batch-status-${BATCH}`).textContent()) ?? "", /done/);

    // 12. A revert from the escrow is described in words with its custom error name
    //     (the same helper the page uses for submit and withdraw failures).
    const revert = await client
      .simulateContract({
        address: escrow,
        abi: escrowAbi,
        functionName: "withdraw",
        args: [zeroAddress, worker],
        account: worker,
      })
      .then(
        () => undefined,
        (e: unknown) => describeError(e),
      );
    assert.equal(revert?.errorName, "NothingToWithdraw");
    assert.match(revert?.message ?? "", /nothing to withdraw/);

    // 13. No errors in the browser console along the way.
    assert.deepEqual(consoleErrors, [], "the page logged no errors");
  });
});
