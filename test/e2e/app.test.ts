/**
 * Browser end-to-end, one test per role, against the real stack `npm run dev` starts (Hardhat
 * node, deployed escrow, data vault, `next dev`) in Debian chromium:
 *  1. requester: posts a 70-item classification task with a gold item from files, uploads them
 *     to the vault with a progress bar, funds it in one transaction;
 *  2. worker: anonymous identity (export, import), joins the group, opens batch 2 from the vault
 *     with an access proof, labels it with the keyboard, sees a rule violation flagged, fixes it,
 *     proves in the browser (Ctrl+Enter) and submits; after the challenge window the batch is
 *     finalized and paid, and the worker withdraws to another address;
 *  3. auditor (a fresh browser profile, no wallet): opens the task and the batch, and the
 *     in-browser verification says the proof is valid; finds a dataset file by dropping it.
 * The requester then decrypts the labels in the browser: they are what the worker chose.
 *
 * Run: node --test test/e2e/app.test.ts
 * Env: ZKLABEL_RPC_PORT / ZKLABEL_WEB_PORT / ZKLABEL_VAULT_PORT, CHROME_PATH (default /usr/bin/chromium).
 * Screenshots: test-results/e2e/*.png
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { demoItems } from "@zklabel/core/demo";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { type BrowserContext, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, getAddress, http, parseEther, zeroAddress } from "viem";
import { ROOT } from "../../scripts/lib/process.ts";
import { type Stack, startStack } from "../../scripts/lib/stack.ts";
import { rpcCall } from "../helpers/chain.ts";

const RPC_PORT = Number(process.env.ZKLABEL_RPC_PORT ?? 8545);
const WEB_PORT = Number(process.env.ZKLABEL_WEB_PORT ?? 3000);
const VAULT_PORT = Number(process.env.ZKLABEL_VAULT_PORT ?? 8787);
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const SHOTS = join(ROOT, "test-results", "e2e");
const PROVE_TIMEOUT = 240_000;

const CLASSES = ["negative", "neutral", "positive", "off-topic"];
const OFF_TOPIC = 3;
const ITEMS = demoItems(70).map((x, i) => ({
  name: `review-${String(i + 1).padStart(3, "0")}.txt`,
  text: `Customer review ${i + 1}: ${x.text}`,
  sentiment: x.sentiment,
}));
const REWARD = parseEther("0.001");
const WINDOW_MINUTES = 10;
const BATCH = 1; // items 65..70: the last, partial batch
const BATCH_ITEMS = ITEMS.slice(64);

const log = (m: string) => console.log(`[e2e] ${m}`);

/** Console errors known to be harmless, each with its reason; anything else fails the test. */
const IGNORED_CONSOLE_ERRORS: { pattern: RegExp; reason: string }[] = [];

function chromeArgs() {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
}

describe("the web app, one role after another", () => {
  let stack: Stack | undefined;
  const contexts: BrowserContext[] = [];
  const profiles: string[] = [];
  const consoleErrors: string[] = [];
  let files: string;
  let page: Page;
  let taskId = 0n;
  let shot = 0;

  const screenshot = async (p: Page, name: string) => {
    await p.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: false });
  };

  async function browser(): Promise<Page> {
    const dir = await mkdtemp(join(tmpdir(), "zklabel-e2e-chrome-"));
    profiles.push(dir);
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROME,
      headless: true,
      args: chromeArgs(),
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const p = context.pages()[0] ?? (await context.newPage());
    const onConsole = (where: string) => (m: ConsoleMessage) => {
      if (m.type() !== "error") return;
      const text = `${where}: ${m.text()}${m.location().url ? ` (${m.location().url})` : ""}`;
      if (IGNORED_CONSOLE_ERRORS.some((i) => i.pattern.test(text))) return;
      consoleErrors.push(text);
      log(`console error ${text}`);
    };
    p.on("console", onConsole("page"));
    p.on("worker", (w) => w.on("console", onConsole(`worker ${w.url()}`)));
    p.on("pageerror", (e) => {
      consoleErrors.push(`uncaught: ${e.stack ?? e.message}`);
      log(`page error ${e.message}`);
    });
    return p;
  }

  async function connect(p: Page, account: number) {
    const select = p.getByTestId("dev-account-select");
    await select.waitFor({ timeout: 180_000 });
    await select.selectOption(String(account));
    if (await p.getByTestId("connect-dev-wallet").isVisible()) await p.getByTestId("connect-dev-wallet").click();
    const nodeAccounts = await createWalletClient({ transport: http(stack?.rpcUrl) }).getAddresses();
    await p
      .locator(`[data-testid="connected-address"][data-address="${getAddress(nodeAccounts[account])}"]`)
      .waitFor({ timeout: 60_000 });
  }

  before(
    async () => {
      await rm(SHOTS, { recursive: true, force: true });
      await mkdir(SHOTS, { recursive: true });
      files = await mkdtemp(join(tmpdir(), "zklabel-e2e-files-"));
      for (const x of ITEMS) await writeFile(join(files, x.name), x.text);
      stack = await startStack({
        rpcPort: RPC_PORT,
        webPort: WEB_PORT,
        vaultPort: VAULT_PORT,
        log: (m) => log(`stack: ${m}`),
      });
      page = await browser();
    },
    { timeout: 400_000 },
  );

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await stack?.stop();
    for (const d of [...profiles, files]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("requester: posts and funds a task with an uploaded dataset and a gold item", { timeout: 400_000 }, async () => {
    assert.ok(stack);
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    await page.goto(`${stack.appUrl}/requester/new`, { timeout: 180_000 });
    await connect(page, 0);
    const by = (id: string) => page.getByTestId(id);
    await by("post-title").fill("Sentiment of customer reviews");
    await by("post-instructions").fill("Read the review and pick its sentiment. Off-topic reviews are not accepted.");
    await by("post-classes").fill(CLASSES.join("\n"));
    await page.getByRole("checkbox", { name: /off-topic/ }).uncheck();
    await by("post-files").setInputFiles(ITEMS.map((x) => join(files, x.name)));
    await by("post-reward").fill("0.001");
    await by("post-deadline-days").fill("7");
    await by("post-gold-toggle").check();
    await by("post-gold-item-0").selectOption({ label: CLASSES[ITEMS[0].sentiment] });
    await by("post-min-accuracy").fill("50");
    await by("post-challenge-minutes").fill(String(WINDOW_MINUTES));
    const total = REWARD * BigInt(ITEMS.length);
    await page.locator(`[data-testid="post-summary"][data-total-wei="${total}"]`).waitFor();
    await screenshot(page, "requester-post-form");

    await by("post-submit").click();
    const created = page.locator('[data-testid="post-created"], [data-testid="post-error"]').first();
    await created.waitFor({ timeout: 120_000 });
    if (await by("post-error").isVisible()) assert.fail(`posting failed: ${await by("post-error").textContent()}`);
    assert.equal(await by("upload-progress").getAttribute("data-done"), String(ITEMS.length));
    taskId = BigInt((await by("post-created").getAttribute("data-task-id")) ?? "0");
    assert.ok(taskId > 1n, "a new task after the demo task");
    await screenshot(page, "requester-posted");

    const task = await client.readContract({
      address: stack.deployment.escrow as Address,
      abi: escrowAbi,
      functionName: "getTask",
      args: [taskId],
    });
    assert.equal(task.itemCount, ITEMS.length);
    assert.equal(task.balance, total, "funded in full by the one transaction");
    assert.equal(task.challengeWindow, WINDOW_MINUTES * 60);
    assert.notEqual(task.goldRoot, 0n);
    const accounts = await createWalletClient({ transport: http(stack.rpcUrl) }).getAddresses();
    assert.equal(getAddress(task.requester), getAddress(accounts[0]));
  });

  it("worker: labels a batch with the keyboard, fixes a rule violation, proves, submits and is paid after the window", {
    timeout: 700_000,
  }, async (t) => {
    assert.ok(stack && taskId > 0n);
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const escrow = stack.deployment.escrow as Address;
    const accounts = (await createWalletClient({ transport: http(stack.rpcUrl) }).getAddresses()).map((a) =>
      getAddress(a),
    );
    const worker = accounts[1];
    const by = (id: string) => page.getByTestId(id);

    // The open tasks list shows the new task with its pay; the worker opens it.
    await page.goto(`${stack.appUrl}/work`);
    await by(`open-task-${taskId}`).waitFor({ timeout: 60_000 });
    assert.match((await by(`open-task-${taskId}`).textContent()) ?? "", /0\.001 ETH/);
    await by(`open-task-${taskId}`)
      .getByRole("link", { name: /^Work on task/ })
      .click();
    await by("task-title").waitFor();
    await connect(page, 1);

    // An anonymous identity made in this browser, exported and imported back; then the open group.
    await by("identity-create").click();
    await by("identity-commitment").waitFor();
    const commitment = await by("identity-commitment").getAttribute("data-commitment");
    await page.locator("details.identity-key summary").click();
    const exported = await by("identity-export").inputValue();
    await page.getByRole("button", { name: "Import another…" }).click();
    await by("identity-import-input").fill("not a key!");
    await by("identity-import-confirm").click();
    assert.match((await by("identity-import-error").textContent()) ?? "", /not an exported identity key/);
    await by("identity-import-input").fill(exported);
    await by("identity-import-confirm").click();
    await by("identity-import-input").waitFor({ state: "detached" });
    assert.equal(await by("identity-commitment").getAttribute("data-commitment"), commitment);
    await page.locator("details.identity-key summary").click();
    await by("join-group").click();
    await page.locator('[data-testid="group-status"][data-member="true"]').waitFor({ timeout: 60_000 });

    // Batch 2 (items 65-70) from the vault, with an anonymous access proof made in the browser.
    await by(`batch-${BATCH}`).click();
    await by("open-batch").click();
    await by("labeler").waitFor({ timeout: PROVE_TIMEOUT });
    assert.equal(await by("item-stage").getAttribute("data-item"), "64");
    assert.equal(await by("item-text").textContent(), BATCH_ITEMS[0].text, "the vault served the posted file");
    await screenshot(page, "worker-batch-open");

    // Label with number keys; the first label breaks the rule ("off-topic" is not accepted).
    await page.keyboard.press(String(OFF_TOPIC + 1));
    for (let i = 1; i < BATCH_ITEMS.length; i++) await page.keyboard.press(String(BATCH_ITEMS[i].sentiment + 1));
    await by("rule-violations").waitFor();
    assert.match((await by("rule-violations").textContent()) ?? "", /Item 1: “off-topic” is not accepted/);
    assert.equal(await by("dot-0").getAttribute("data-state"), "invalid");
    assert.equal(await by("prove-submit").isDisabled(), true);
    for (let i = 0; i < BATCH_ITEMS.length; i++) await page.keyboard.press("ArrowLeft");
    await by("item-problem").waitFor();
    await screenshot(page, "worker-rule-violation");
    await page.keyboard.press(String(BATCH_ITEMS[0].sentiment + 1));
    await by("rule-violations").waitFor({ state: "detached" });
    for (let i = 0; i < BATCH_ITEMS.length; i++) {
      assert.equal(await by(`dot-${i}`).getAttribute("data-state"), "labeled");
    }
    assert.match((await by("labeled-count").textContent()) ?? "", /6 of 6 labeled/);

    // Ctrl+Enter: prove in a Web Worker, submit, confirm.
    const started = Date.now();
    await page.keyboard.press("Control+Enter");
    await page
      .locator('[data-testid="run"][data-kind="prove"][data-phase="proof"]')
      .waitFor({ timeout: PROVE_TIMEOUT });
    await screenshot(page, "worker-proving");
    const outcome = page
      .locator('[data-testid="run"][data-kind="prove"][data-phase="done"], [data-testid="run-error"]')
      .first();
    await outcome.waitFor({ timeout: PROVE_TIMEOUT });
    if (await by("run-error").isVisible())
      assert.fail(`proving or submitting failed: ${await by("run-error").textContent()}`);
    const provingMs = Number(await by("proving-time").getAttribute("data-ms"));
    t.diagnostic(
      `browser proof ${(provingMs / 1000).toFixed(1)} s; whole flow ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await by("batch-pending").waitFor({ timeout: 30_000 });
    assert.equal(
      await client.readContract({
        address: escrow,
        abi: escrowAbi,
        functionName: "credits",
        args: [zeroAddress, worker],
      }),
      0n,
      "nothing credited while the batch is in its challenge window",
    );
    await screenshot(page, "worker-pending");

    // The window passes on the chain; anyone may finalize: the worker does, and is credited.
    await rpcCall(stack.rpcUrl, "evm_increaseTime", [WINDOW_MINUTES * 60 + 1]);
    await rpcCall(stack.rpcUrl, "evm_mine", []);
    await by("finalize-batch").click({ timeout: 30_000 });
    await by("batch-paid").waitFor({ timeout: 60_000 });
    const expected = REWARD * BigInt(BATCH_ITEMS.length);
    await page.locator(`[data-testid="credits"][data-wei="${expected}"]`).waitFor({ timeout: 30_000 });

    // Withdraw to another address (account #5).
    const to = accounts[5];
    const before = await client.getBalance({ address: to });
    await by("withdraw-to").fill(to);
    await by("withdraw").click();
    await by("withdrawn").waitFor({ timeout: 60_000 });
    assert.equal(
      (await client.getBalance({ address: to })) - before,
      expected,
      "the reward arrived at the chosen address",
    );
    await page.locator('[data-testid="credits"][data-wei="0"]').waitFor();
    await screenshot(page, "worker-paid");
  });

  it("auditor: opens the batch without a wallet and verifies its proof in the browser", {
    timeout: 300_000,
  }, async () => {
    assert.ok(stack && taskId > 0n);
    const auditor = await browser();
    const by = (id: string) => auditor.getByTestId(id);
    await auditor.goto(`${stack.appUrl}/audit`, { timeout: 120_000 });
    await by(`audit-task-${taskId}`).waitFor({ timeout: 60_000 });
    await by(`audit-task-${taskId}`).getByRole("link").first().click();
    await by("audit-timeline").waitFor({ timeout: 60_000 });
    await auditor.locator(`[data-testid="audit-batch-${BATCH}"][data-status="verified"]`).waitFor({ timeout: 60_000 });
    assert.equal(await by("audit-batch-0").getAttribute("data-status"), "open");

    // Is this file in the dataset? One of the posted files is; a file never posted is not.
    await by("file-check-input").setInputFiles(join(files, ITEMS[66].name));
    await auditor.locator('[data-testid="file-check-result"][data-found="true"]').waitFor();
    assert.match((await by("file-check-result").textContent()) ?? "", /#67/);
    await writeFile(join(files, "stranger.txt"), "not in any dataset");
    await by("file-check-input").setInputFiles(join(files, "stranger.txt"));
    await auditor.locator('[data-testid="file-check-result"][data-found="false"]').waitFor();
    await screenshot(auditor, "auditor-task");

    await by(`audit-batch-${BATCH}`).click();
    await by("verify-in-browser").waitFor({ timeout: 60_000 });
    assert.match((await by("batch-tx").textContent()) ?? "", /0x[0-9a-f]{6}/);
    assert.ok(
      Number((await by("batch-gas").textContent())?.replace(/\D/g, "")) > 200_000,
      "gas of a proof verification",
    );
    await by("verify-in-browser").click();
    await auditor.locator('[data-testid="verify-result"][data-valid="true"]').waitFor({ timeout: 60_000 });
    await screenshot(auditor, "auditor-verified");
  });

  it("requester: decrypts the batch's labels in the browser; they are the worker's", { timeout: 120_000 }, async () => {
    assert.ok(stack && taskId > 0n);
    await page.goto(`${stack.appUrl}/requester/${taskId}`);
    await connect(page, 0);
    await page.getByTestId("decrypt-labels").click();
    await page.getByTestId("labels-table").waitFor({ timeout: 60_000 });
    for (let i = 0; i < BATCH_ITEMS.length; i++) {
      assert.equal(
        await page.getByTestId(`label-row-${64 + i}`).getAttribute("data-label"),
        String(BATCH_ITEMS[i].sentiment),
      );
    }
    await screenshot(page, "requester-labels");
    assert.deepEqual(consoleErrors, [], "no errors in any browser console");
  });
});
