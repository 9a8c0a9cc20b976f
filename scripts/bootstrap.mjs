#!/usr/bin/env node
// Bootstrap for `npm run dev`, `npm test` and friends. Runs on any Node >= 20 with
// plain npm and nothing else: it brings Node 24 and pnpm into .tools/ when the
// system lacks them, installs the workspace's dependencies when the lockfile or a
// package.json changed, installs Chromium for the browser tests when it can, and
// then hands over to scripts/<command>.ts under Node 24. Every step is skipped
// when already done, so later runs start in a second or two.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOOLS = join(ROOT, ".tools");
const TOOLS_BIN = join(TOOLS, "node_modules", ".bin");
const NODE_MAJOR = 24;
const COMMANDS = {
  dev: "scripts/dev.ts",
  test: "scripts/test.ts",
  bench: "scripts/bench.ts",
  circuits: "scripts/circuits/build.ts",
  lint: "scripts/lint.ts",
  zklabel: "packages/cli/src/main.ts",
  ceremony: "scripts/ceremony/ceremony.ts",
  deploy: "scripts/deploy.ts",
};

const t0 = Date.now();
// The CLI's stdout is its output (--json): bootstrap progress goes to stderr there.
const out = process.argv[2] === "zklabel" ? console.error : console.log;
const log = (msg) => out(`[bootstrap ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
// Routine lines (versions, nothing to install) are left out for the CLI, which runs per command;
// anything bootstrap installs is still reported.
const note = (msg) => {
  if (process.argv[2] !== "zklabel") log(msg);
};
function fail(msg) {
  console.error(`\n[bootstrap] ${msg}`);
  process.exit(1);
}

const command = process.argv[2];
if (!COMMANDS[command]) fail(`unknown command "${command ?? ""}": use one of ${Object.keys(COMMANDS).join(", ")}`);

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const PNPM_VERSION = pkg.packageManager.replace(/^pnpm@/, "");
const env = {
  ...process.env,
  PATH: `${TOOLS_BIN}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`,
  NEXT_TELEMETRY_DISABLED: "1",
};

function sh(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: "inherit" });
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal}). Check the output above; rerunning is safe.`);
}

function versionOf(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8", env });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, "") : null;
}

// 1. Node 24 and pnpm.
let node = process.execPath;
if (Number(process.versions.node.split(".")[0]) < NODE_MAJOR) {
  const local = join(TOOLS_BIN, "node");
  const have = existsSync(local) ? versionOf(local) : null;
  if (!have || Number(have.split(".")[0]) !== NODE_MAJOR) {
    log(
      `system Node is ${process.versions.node}; installing Node ${NODE_MAJOR} and pnpm ${PNPM_VERSION} into .tools/ (one time)`,
    );
    mkdirSync(TOOLS, { recursive: true });
    sh(
      "npm",
      ["install", "--prefix", TOOLS, "--no-audit", "--no-fund", `node@${NODE_MAJOR}`, `pnpm@${PNPM_VERSION}`],
      "installing Node and pnpm with npm",
    );
  }
  node = local;
}
const pnpmBin = join(TOOLS_BIN, "pnpm");
if (versionOf(pnpmBin) !== PNPM_VERSION) {
  log(`installing pnpm ${PNPM_VERSION} into .tools/`);
  sh(
    "npm",
    [
      "install",
      "--prefix",
      TOOLS,
      "--no-audit",
      "--no-fund",
      `pnpm@${PNPM_VERSION}`,
      ...(node === process.execPath ? [] : [`node@${NODE_MAJOR}`]),
    ],
    "installing pnpm with npm",
  );
}
note(`Node ${versionOf(node)}, pnpm ${PNPM_VERSION}`);

// 2. Workspace dependencies, reinstalled only when a manifest or the lockfile changed.
const manifests = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"];
for (const dir of ["apps", "packages"]) {
  for (const name of existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)) : []) {
    if (existsSync(join(ROOT, dir, name, "package.json"))) manifests.push(join(dir, name, "package.json"));
  }
}
const h = createHash("sha256").update(`node ${NODE_MAJOR} pnpm ${PNPM_VERSION}`);
for (const f of manifests) if (existsSync(join(ROOT, f))) h.update(f).update(readFileSync(join(ROOT, f)));
const stamp = join(ROOT, "node_modules", ".zklabel-install");
const key = h.digest("hex");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== key) {
  log("installing dependencies with pnpm (cached in pnpm's store after the first time)");
  sh(pnpmBin, ["install", "--frozen-lockfile", "--reporter=append-only"], "pnpm install");
  writeFileSync(stamp, key);
} else {
  note("dependencies up to date");
}

// 3. Chromium for the browser tests.
if (command === "test" && !process.env.CHROME_PATH && !existsSync("/usr/bin/chromium")) {
  const canApt = existsSync("/usr/bin/apt-get") && process.getuid?.() === 0;
  if (canApt) {
    log("installing Debian chromium for the browser tests (apt-get, one time)");
    sh("apt-get", ["update", "-qq"], "apt-get update");
    sh("apt-get", ["install", "-y", "-qq", "chromium"], "apt-get install chromium");
  } else {
    fail(
      "the browser tests need Chromium or Chrome and none was found at /usr/bin/chromium.\n" +
        "Install it (Debian/Ubuntu: sudo apt-get install chromium) or point the tests at one you have:\n" +
        "  CHROME_PATH=/path/to/chrome npm test",
    );
  }
}

// 3b. Debian's Python with numpy, Cython and matplotlib: the tests build the reference COCO API
// (test/vendor/cocoapi) with them and load the COCO exports in it.
const cocoDeps = ["python3-numpy", "python3-matplotlib", "cython3", "python3-dev"];
if (
  command === "test" &&
  spawnSync(
    "/usr/bin/python3",
    [
      "-c",
      "import numpy, matplotlib, Cython, sysconfig, os; assert os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h'))",
    ],
    { stdio: "ignore" },
  ).status !== 0
) {
  const canApt = existsSync("/usr/bin/apt-get") && process.getuid?.() === 0;
  if (canApt) {
    log(`installing ${cocoDeps.join(", ")} for the COCO API test (apt-get, one time)`);
    sh("apt-get", ["update", "-qq"], "apt-get update");
    sh("apt-get", ["install", "-y", "-qq", ...cocoDeps], "apt-get install the COCO API's build dependencies");
  } else {
    fail(
      "the COCO export test builds the reference COCO API with Debian's Python and needs its packages:\n" +
        `  sudo apt-get install ${cocoDeps.join(" ")}`,
    );
  }
}

// 4. Hand over to the command under Node 24; Ctrl-C reaches the child, which cleans up.
note(`running ${COMMANDS[command]}`);
const child = spawn(node, [join(ROOT, COMMANDS[command]), ...process.argv.slice(3)], {
  cwd: ROOT,
  env,
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
