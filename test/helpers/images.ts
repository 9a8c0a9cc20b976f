/** Test images for bounding-box datasets. */

/**
 * A PNG header (signature + IHDR) saying width x height: all the vault, the SDK and the tree read
 * of an image (its type and size). `salt` makes each file's bytes, and content hash, different.
 */
export function pngHeader(width: number, height: number, salt: number): Uint8Array {
  const b = new Uint8Array(37);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 0);
  b.set(new TextEncoder().encode("IHDR"), 12);
  const v = new DataView(b.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  b.set([8, 6, 0, 0, 0], 24);
  v.setUint32(33, salt);
  return b;
}
