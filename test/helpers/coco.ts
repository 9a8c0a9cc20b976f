/**
 * The reference COCO API (pycocotools, vendored in test/vendor/cocoapi) built once with Debian's
 * Python into $ZKLABEL_CACHE/cocoapi-<hash of the sources>, so a test can load a COCO file the way
 * training code does. `npm test` installs the build's Debian packages (scripts/bootstrap.mjs).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/process.ts";

const SOURCE = join(ROOT, "test/vendor/cocoapi");
/** Debian's Python (the one whose numpy, Cython and matplotlib apt installs), not a pyenv shim. */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

function sourceHash(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p.slice(SOURCE.length)).update(readFileSync(p));
    }
  };
  walk(SOURCE);
  return h.digest("hex").slice(0, 16);
}

/** The PYTHONPATH under which `from pycocotools.coco import COCO` works; builds it the first time. */
export function cocoApiPath(): string {
  const cache = process.env.ZKLABEL_CACHE ?? join(homedir(), ".cache", "zklabel");
  const dir = join(cache, `cocoapi-${sourceHash()}`);
  const python = join(dir, "PythonAPI");
  if (!existsSync(join(dir, ".built"))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    cpSync(SOURCE, tmp, { recursive: true });
    const r = spawnSync(PYTHON, ["setup.py", "build_ext", "--inplace"], {
      cwd: join(tmp, "PythonAPI"),
      encoding: "utf8",
    });
    if (r.status !== 0) {
      throw new Error(
        `building the COCO API (test/vendor/cocoapi) with ${PYTHON} failed: ${r.stderr.slice(-2000)}\n` +
          "It needs Debian's python3-numpy, python3-matplotlib, cython3 and python3-dev (npm test installs them).",
      );
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    mkdirSync(join(dir, ".built"));
  }
  return python;
}

/**
 * Runs `code` (Python) with pycocotools importable and argv[1..] = args; returns its stdout, or
 * throws with its stderr.
 */
export function withCocoApi(code: string, args: string[]): string {
  const r = spawnSync(PYTHON, ["-c", code, ...args], {
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: cocoApiPath(), MPLBACKEND: "Agg" },
  });
  if (r.status !== 0) throw new Error(`the COCO API refused it: ${r.stderr.slice(-3000)}`);
  return r.stdout;
}
