/** Hashes of files, read as streams (a proving key or a powers-of-tau file can be hundreds of megabytes). */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** The hex digest of a file's bytes: sha256, or blake2b-512 (a .ptau's hash as snarkjs prints it). */
export async function fileHash(path: string, algorithm: "sha256" | "blake2b512" = "sha256"): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}
