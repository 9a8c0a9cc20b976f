import assert from "node:assert/strict";
import { test } from "node:test";
import { imageSize, parseSensorWindow } from "../src/items.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const R = Array.from({ length: 16 }, (_, i) => 1000 + i * 37);

test("parses a JSON array", () => {
  assert.deepEqual(parseSensorWindow(enc(JSON.stringify(R)), "a.json"), R);
});

test("parses a JSON object with readings", () => {
  assert.deepEqual(parseSensorWindow(enc(`\uFEFF{"readings": ${JSON.stringify(R)}, "unit": "mV"}\n`), "b.json"), R);
});

test("parses CSV and whitespace-separated numbers", () => {
  assert.deepEqual(parseSensorWindow(enc(`${R.join(",")}\n`), "c.csv"), R);
  assert.deepEqual(parseSensorWindow(enc(R.join("  ")), "c.txt"), R);
  assert.deepEqual(parseSensorWindow(enc(R.join(", ")), "c.csv"), R);
  assert.deepEqual(parseSensorWindow(enc("1 2 3"), "short.txt", 3), [1, 2, 3]);
});

test("errors say which item and what is wrong", () => {
  const bad = [...R];
  bad[4] = 70000;
  assert.throws(
    () => parseSensorWindow(enc(JSON.stringify(bad)), "review-003.json"),
    /^Error: review-003\.json: reading 4 is 70000, outside 0\.\.65535: scale the readings into 16-bit fixed point$/,
  );
  bad[4] = -1;
  assert.throws(() => parseSensorWindow(enc(JSON.stringify(bad)), "n.json"), /n\.json: reading 4 is -1, outside/);
  bad[4] = 1.5;
  assert.throws(
    () => parseSensorWindow(enc(JSON.stringify(bad)), "f.json"),
    /f\.json: reading 4 is 1\.5, not an integer/,
  );
  assert.throws(
    () => parseSensorWindow(enc(R.slice(1).join(",")), "s.csv"),
    /s\.csv: has 15 readings, expected exactly 16/,
  );
  assert.throws(() => parseSensorWindow(enc(JSON.stringify([...R, 1])), "l.json"), /has 17 readings/);
  assert.throws(() => parseSensorWindow(enc(""), "e.txt"), /e\.txt: the item is empty/);
  assert.throws(() => parseSensorWindow(enc("[1, 2,"), "j.json"), /j\.json: not valid JSON/);
  assert.throws(() => parseSensorWindow(enc('{"values": [1]}'), "o.json"), /o\.json: .*"readings" array/);
  assert.throws(
    () => parseSensorWindow(enc(R.map((r, i) => (i === 2 ? "x" : r)).join(",")), "t.csv"),
    /t\.csv: reading 2 is "x", not a number/,
  );
  assert.throws(
    () => parseSensorWindow(enc(JSON.stringify(R.map((r, i) => (i === 7 ? null : r)))), "z.json"),
    /z\.json: reading 7 is null, not a number/,
  );
});

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));
const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const le16 = (v: number) => [v & 255, v >>> 8];
const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];

test("imageSize reads PNG", () => {
  const png = bytes([0x89], "PNG", [0x0d, 0x0a, 0x1a, 0x0a], be32(13), "IHDR", be32(640), be32(480), [8, 6, 0, 0, 0]);
  assert.deepEqual(imageSize(png, "image/png"), { width: 640, height: 480 });
  assert.throws(() => imageSize(png.subarray(0, 20), "image/png"), /PNG header is cut short/);
});

test("imageSize reads JPEG (SOF0 after APP0, and SOF2)", () => {
  const app0 = [0xff, 0xe0, ...[0, 16], ..."JFIF\0".split("").map((c) => c.charCodeAt(0)), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = (m: number) => [0xff, m, 0, 17, 8, ...[1, 44], ...[3, 32], 3];
  assert.deepEqual(imageSize(bytes([0xff, 0xd8], app0, sof(0xc0)), "image/jpeg"), { width: 800, height: 300 });
  assert.deepEqual(imageSize(bytes([0xff, 0xd8], sof(0xc2)), "image/jpeg"), { width: 800, height: 300 });
  assert.deepEqual(imageSize(bytes([0xff, 0xd8, 0xff], sof(0xc1)), "image/jpeg"), { width: 800, height: 300 });
  assert.throws(() => imageSize(bytes([0xff, 0xd8, 0xff, 0xda, 0, 2]), "image/jpeg"), /no frame header/);
});

test("imageSize reads GIF", () => {
  assert.deepEqual(imageSize(bytes("GIF89a", le16(320), le16(200), [0xf7, 0, 0]), "image/gif"), {
    width: 320,
    height: 200,
  });
  assert.deepEqual(imageSize(bytes("GIF87a", le16(1), le16(65535)), "image/gif"), { width: 1, height: 65535 });
});

test("imageSize reads WebP VP8, VP8L and VP8X", () => {
  const riff = (chunk: string, data: number[]) =>
    bytes("RIFF", le32(4 + 8 + data.length), "WEBP", chunk, le32(data.length), data);
  const vp8 = riff("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(1024), ...le16(768), 0, 0]);
  assert.deepEqual(imageSize(vp8, "image/webp"), { width: 1024, height: 768 });
  const w = 300;
  const h = 150;
  const bits = (w - 1) | ((h - 1) << 14);
  const vp8l = riff("VP8L", [0x2f, ...le32(bits), 0, 0, 0, 0, 0]);
  assert.deepEqual(imageSize(vp8l, "image/webp"), { width: 300, height: 150 });
  const vp8x = riff("VP8X", [0x10, 0, 0, 0, 4999 & 255, (4999 >> 8) & 255, 0, 99, 0, 0]);
  assert.deepEqual(imageSize(vp8x, "image/webp"), { width: 5000, height: 100 });
});

test("imageSize refuses anything else", () => {
  assert.throws(
    () => imageSize(bytes("BM", [0, 0, 0, 0]), "image/bmp"),
    /image\/bmp: not a PNG, JPEG, GIF or WebP image/,
  );
  assert.throws(() => imageSize(new Uint8Array(), ""), /not a PNG, JPEG, GIF or WebP/);
});
