/**
 * Decoded event arguments as JSON text and back, bigints included ({"$n":"123"}), for stores that
 * keep events outside the chain (apps/indexer) and the readers that rebuild DecodedLogs from them.
 */

/** The arguments as JSON text, without the fields named in `drop` (e.g. a batch's ciphertext). */
export function argsToJson(args: Record<string, unknown>, drop: readonly string[] = []): string {
  const kept = Object.fromEntries(Object.entries(args).filter(([k]) => !drop.includes(k)));
  return JSON.stringify(kept, (_k, v) => (typeof v === "bigint" ? { $n: v.toString() } : v));
}

/** The arguments back from argsToJson's text, bigints as bigints. */
export function argsFromJson(text: string): Record<string, unknown> {
  return JSON.parse(text, (_k, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.$n === "string" && Object.keys(v).length === 1
      ? BigInt(v.$n)
      : v,
  ) as Record<string, unknown>;
}
