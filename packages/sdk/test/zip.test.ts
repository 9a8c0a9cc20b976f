import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crc32, unzipFiles, zipFiles } from "@zklabel/sdk/zip";

const files = new Map<string, Uint8Array | string>([
  ["README.md", "# card\n"],
  ["labels.jsonl", `${'{"index":0,"label":1}\n'.repeat(500)}`],
  ["items/été.png", new Uint8Array([137, 80, 78, 71, 0, 255, 1, 2])],
]);
const text = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : new TextDecoder().decode(b));

describe("zip: the app's export archive", () => {
  it("CRC-32 of the standard check string", () => {
    assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  });

  it("reads back what it writes, names and bytes", async () => {
    const back = await unzipFiles(zipFiles(files));
    assert.deepEqual([...back.keys()], [...files.keys()]);
    assert.equal(text(back.get("labels.jsonl")), files.get("labels.jsonl"));
    assert.deepEqual(back.get("items/été.png"), files.get("items/été.png"));
  });

  it("a zip tool (Python's zipfile) reads it, and it reads a deflated archive of a folder made by one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zklabel-zip-"));
    try {
      await writeFile(join(dir, "ours.zip"), zipFiles(files));
      const listed = execFileSync("python3", [
        "-c",
        "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print('\\n'.join(z.namelist()))",
        join(dir, "ours.zip"),
      ]).toString();
      assert.deepEqual(listed.trim().split("\n"), [...files.keys()]);
      execFileSync("python3", [
        "-c",
        "import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z:\n z.writestr('export/',''); z.writestr('export/labels.jsonl','{\"a\":1}\\n'*1000); z.writestr('export/sub/b.bin',bytes(range(256)))",
        join(dir, "theirs.zip"),
      ]);
      const back = await unzipFiles(new Uint8Array(await readFile(join(dir, "theirs.zip"))));
      assert.deepEqual([...back.keys()], ["labels.jsonl", "sub/b.bin"], "the common top folder is taken off");
      assert.equal(text(back.get("labels.jsonl")), '{"a":1}\n'.repeat(1000));
      assert.deepEqual(back.get("sub/b.bin"), new Uint8Array(Array.from({ length: 256 }, (_, i) => i)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a changed byte fails its checksum, and what is not a zip says so; paths outside the folder are refused", async () => {
    const z = zipFiles(files);
    const i = z.indexOf("#".charCodeAt(0));
    z[i] ^= 1;
    await assert.rejects(unzipFiles(z), /README\.md fails its checksum/);
    await assert.rejects(unzipFiles(new TextEncoder().encode("not a zip at all, just some text")), /not a ZIP archive/);
    assert.throws(() => zipFiles(new Map([["../evil", "x"]])), /not a relative path/);
  });
});
