/**
 * Reading vault items without a DOM (browser and Node): a sensor window's readings, an image's
 * pixel size from its header, the MIME type a file name suggests.
 */

/** Largest 16-bit fixed-point reading. */
const MAX_READING = 0xffff;

/** The readings of one sensor item: a JSON array, a JSON object `{"readings": [...]}`, or CSV / whitespace-separated numbers; exactly T integers 0..65535. */
export function parseSensorWindow(bytes: Uint8Array, name: string, T = 16): number[] {
  const text = new TextDecoder("utf-8", { fatal: false })
    .decode(bytes)
    .replace(/^\uFEFF/, "")
    .trim();
  if (text === "")
    throw new Error(`${name}: the item is empty: a sensor item holds ${T} readings, e.g. a JSON array [512, 530, ...]`);

  let raw: unknown[];
  if (text.startsWith("[") || text.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(
        `${name}: not valid JSON (${(e as Error).message}): write the readings as [r0, r1, ...] or {"readings": [r0, r1, ...]}`,
      );
    }
    if (Array.isArray(json)) raw = json;
    else if (json !== null && typeof json === "object" && Array.isArray((json as { readings?: unknown }).readings))
      raw = (json as { readings: unknown[] }).readings;
    else
      throw new Error(
        `${name}: a JSON sensor item must be an array of readings or an object with a "readings" array: write {"readings": [r0, r1, ...]}`,
      );
  } else {
    raw = text.split(/[\s,;]+/).filter((t) => t !== "");
  }

  if (raw.length !== T)
    throw new Error(
      `${name}: has ${raw.length} reading${raw.length === 1 ? "" : "s"}, expected exactly ${T}: each item must be one window of ${T} readings`,
    );
  return raw.map((r, j) => {
    const v = typeof r === "number" ? r : typeof r === "string" && r.trim() !== "" ? Number(r) : Number.NaN;
    if (!Number.isFinite(v))
      throw new Error(`${name}: reading ${j} is ${JSON.stringify(r)}, not a number: every reading must be an integer`);
    if (!Number.isInteger(v))
      throw new Error(
        `${name}: reading ${j} is ${v}, not an integer: scale the readings into 16-bit fixed point (integers 0..${MAX_READING})`,
      );
    if (v < 0 || v > MAX_READING)
      throw new Error(
        `${name}: reading ${j} is ${v}, outside 0..${MAX_READING}: scale the readings into 16-bit fixed point`,
      );
    return v;
  });
}

const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u16le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
const u32be = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

/** An image's pixel size read from its PNG, JPEG, GIF or WebP header, without decoding it. */
export function imageSize(bytes: Uint8Array, type: string): { width: number; height: number } {
  const b = bytes;
  const truncated = (format: string) =>
    new Error(`${type || "image"}: the ${format} header is cut short (${b.length} bytes): re-export the image`);
  const checked = (width: number, height: number, format: string) => {
    if (width < 1 || height < 1)
      throw new Error(`${type || "image"}: the ${format} header gives a size of ${width}×${height} pixels`);
    return { width, height };
  };

  // PNG: signature, then the IHDR chunk (length, "IHDR", width, height; big-endian).
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === "PNG" && b[4] === 0x0d && b[5] === 0x0a) {
    if (b.length < 24) throw truncated("PNG");
    if (ascii(b, 12, 4) !== "IHDR") throw new Error(`${type || "image"}: the PNG has no IHDR chunk first`);
    return checked(u32be(b, 16), u32be(b, 20), "PNG");
  }

  // GIF: "GIF87a" / "GIF89a", then the logical screen width and height (little-endian).
  if (b.length >= 6 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) {
    if (b.length < 10) throw truncated("GIF");
    return checked(u16le(b, 6), u16le(b, 8), "GIF");
  }

  // JPEG: SOI, then segments until a start-of-frame (SOFn: precision, height, width).
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xd8) {
    let o = 2;
    while (o < b.length) {
      if (b[o] !== 0xff) throw new Error(`${type || "image"}: the JPEG has a broken segment at byte ${o}`);
      while (b[o] === 0xff) o++; // fill bytes
      const marker = b[o++];
      if (marker === undefined) break;
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // standalone markers
      if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan: no frame header before it
      if (o + 2 > b.length) break;
      const length = u16be(b, o);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) {
        if (o + 7 > b.length) throw truncated("JPEG");
        return checked(u16be(b, o + 5), u16be(b, o + 3), "JPEG");
      }
      if (length < 2) throw new Error(`${type || "image"}: the JPEG has a broken segment at byte ${o}`);
      o += length;
    }
    throw new Error(`${type || "image"}: the JPEG has no frame header (SOF) giving its size: re-export the image`);
  }

  // WebP: RIFF container, then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk.
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") {
    if (b.length < 30) throw truncated("WebP");
    const chunk = ascii(b, 12, 4);
    if (chunk === "VP8 ") {
      if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a)
        throw new Error(`${type || "image"}: the WebP VP8 frame has no start code`);
      return checked(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff, "WebP");
    }
    if (chunk === "VP8L") {
      if (b[20] !== 0x2f) throw new Error(`${type || "image"}: the WebP VP8L stream has no signature`);
      const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
      return checked((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, "WebP");
    }
    if (chunk === "VP8X") return checked(u24le(b, 24) + 1, u24le(b, 27) + 1, "WebP");
    throw new Error(`${type || "image"}: unknown WebP chunk ${JSON.stringify(chunk)}`);
  }

  throw new Error(
    `${type || "this item"}: not a PNG, JPEG, GIF or WebP image (its header is not recognized): convert it to one of those`,
  );
}

const EXTENSIONS: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  txt: "text/plain",
  md: "text/plain",
  csv: "text/csv",
  json: "application/json",
  jsonl: "text/plain",
};

/** The type an item's name suggests (its extension); text/plain when it has none known. */
export function typeFromName(name: string): string {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  return EXTENSIONS[ext] ?? "text/plain";
}
