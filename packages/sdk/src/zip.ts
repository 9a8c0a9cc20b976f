/**
 * ZIP archives of a folder of files, in the browser and Node, without a dependency: the app hands a
 * verified-dataset export to the requester as one `.zip` (a browser cannot write a folder), and the
 * auditor's page reads one back. Writing stores the files uncompressed (method 0) with their CRC-32;
 * reading takes stored and deflated entries (method 8, through the platform's DecompressionStream),
 * which is what common zip tools write. No ZIP64, no encryption, no multi-disk archives: those are
 * refused with a message that says so.
 */
import { ZkLabelError } from "@zklabel/core/errors";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3), as ZIP records it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const bytesOf = (f: Uint8Array | string) => (typeof f === "string" ? new TextEncoder().encode(f) : f);

/** A ZIP archive (stored entries, UTF-8 names) of `files`: relative path → content. */
export function zipFiles(files: ReadonlyMap<string, Uint8Array | string>): Uint8Array<ArrayBuffer> {
  const entries = [...files].map(([name, content]) => {
    if (name.startsWith("/") || name.split("/").includes("..")) {
      throw new ZkLabelError("invalid_input", `"${name}" is not a relative path inside the folder`);
    }
    const data = bytesOf(content);
    return { name: new TextEncoder().encode(name), data, crc: crc32(data) };
  });
  const localSize = entries.reduce((n, e) => n + 30 + e.name.length + e.data.length, 0);
  const centralSize = entries.reduce((n, e) => n + 46 + e.name.length, 0);
  if (localSize + centralSize > 0xffffffff || entries.length > 0xffff) {
    throw new ZkLabelError(
      "invalid_input",
      "the folder is too large for a ZIP archive without ZIP64 (4 GB, 65,535 files)",
    );
  }
  const out = new Uint8Array(localSize + centralSize + 22);
  const v = new DataView(out.buffer);
  let at = 0;
  const offsets: number[] = [];
  for (const e of entries) {
    offsets.push(at);
    v.setUint32(at, 0x04034b50, true);
    v.setUint16(at + 4, 20, true); // version needed
    v.setUint16(at + 6, 0x0800, true); // UTF-8 names
    v.setUint16(at + 8, 0, true); // stored
    v.setUint32(at + 10, 0x00210000, true); // 1980-01-01 00:00: the archive does not depend on the clock
    v.setUint32(at + 14, e.crc, true);
    v.setUint32(at + 18, e.data.length, true);
    v.setUint32(at + 22, e.data.length, true);
    v.setUint16(at + 26, e.name.length, true);
    v.setUint16(at + 28, 0, true);
    out.set(e.name, at + 30);
    out.set(e.data, at + 30 + e.name.length);
    at += 30 + e.name.length + e.data.length;
  }
  const centralAt = at;
  entries.forEach((e, i) => {
    v.setUint32(at, 0x02014b50, true);
    v.setUint16(at + 4, 20, true); // made by
    v.setUint16(at + 6, 20, true);
    v.setUint16(at + 8, 0x0800, true);
    v.setUint16(at + 10, 0, true);
    v.setUint32(at + 12, 0x00210000, true);
    v.setUint32(at + 16, e.crc, true);
    v.setUint32(at + 20, e.data.length, true);
    v.setUint32(at + 24, e.data.length, true);
    v.setUint16(at + 28, e.name.length, true);
    // extra, comment, disk, internal attributes: 0; external attributes: 0; local header offset:
    v.setUint32(at + 42, offsets[i], true);
    out.set(e.name, at + 46);
    at += 46 + e.name.length;
  });
  v.setUint32(at, 0x06054b50, true);
  v.setUint16(at + 8, entries.length, true);
  v.setUint16(at + 10, entries.length, true);
  v.setUint32(at + 12, at - centralAt, true);
  v.setUint32(at + 16, centralAt, true);
  return out;
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const notZip = (why: string) =>
  new ZkLabelError("invalid_input", `this is not a ZIP archive this page can read (${why}): drop the folder itself`);

/**
 * The files of a ZIP archive: path → content (directories left out). When every path starts with the
 * same top folder (an archive of a folder), that folder is taken off, so `export/provenance.json`
 * reads as `provenance.json`.
 */
export async function unzipFiles(zip: Uint8Array): Promise<Map<string, Uint8Array>> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw notZip("no end-of-archive record");
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw notZip("ZIP64 archives are not read");
  const files = new Map<string, Uint8Array>();
  for (let k = 0; k < count; k++) {
    if (at + 46 > zip.length || v.getUint32(at, true) !== 0x02014b50) throw notZip("a damaged central directory");
    const flags = v.getUint16(at + 8, true);
    const method = v.getUint16(at + 10, true);
    const crc = v.getUint32(at + 16, true);
    const size = v.getUint32(at + 20, true);
    const nameLength = v.getUint16(at + 28, true);
    const skip = nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (name.endsWith("/")) continue;
    if (flags & 1) throw notZip(`${name} is encrypted`);
    if (local + 30 > zip.length || v.getUint32(local, true) !== 0x04034b50) throw notZip(`${name}'s header is damaged`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const raw = zip.subarray(start, start + size);
    let data: Uint8Array;
    if (method === 0) data = raw.slice();
    else if (method === 8) data = await inflateRaw(raw);
    else throw notZip(`${name} uses compression method ${method}`);
    if (crc32(data) !== crc) throw notZip(`${name} fails its checksum`);
    files.set(name, data);
  }
  const names = [...files.keys()];
  const top = names[0]?.split("/")[0];
  if (top && names.every((n) => n.startsWith(`${top}/`))) {
    return new Map([...files].map(([n, d]) => [n.slice(top.length + 1), d]));
  }
  return files;
}
