/**
 * A task's metadata: what a worker (person or agent) needs beyond the rule's numbers: title,
 * instructions, class names and where the vault is. It travels in the task's metadataURI as a
 * data: URI of JSON, and metadataHash (keccak256 of the JSON) binds it, so nothing off-chain
 * has to be trusted or kept online to read it.
 */

import { RULE_NAMES, ruleByName } from "@zklabel/core/rules";
import { keccak256, stringToBytes } from "viem";
import { z } from "zod";
import type { TaskSpec } from "./spec.ts";

/** Task metadata, version 1. */
export const taskMetadataSchema = z.object({
  version: z.literal(1),
  title: z.string(),
  instructions: z.string(),
  rule: z.object({
    /** The rule's name (packages/core/src/rules/); the task's ruleId on-chain is what binds. */
    type: z.enum(RULE_NAMES),
    classes: z.array(z.string()).optional(),
  }),
  /** Base URL of the vault that serves the items. */
  vault: z.string().url().optional(),
  /**
   * The nonce of the message the requester signed to derive the task's encryption key
   * (requesterKeyMessage): public, it only names which signature to ask the wallet for again.
   */
  keyNonce: z.string().regex(/^\d+$/).optional(),
});
/** Parsed task metadata. */
export type TaskMetadata = z.infer<typeof taskMetadataSchema>;

const PREFIX = "data:application/json;base64,";

/** The metadata of a task spec (and its vault URL). */
export function metadataFromSpec(spec: TaskSpec, vault?: string, keyNonce?: bigint): TaskMetadata {
  const r = spec.rule;
  const classes = ruleByName(r.type).fromSpec(r).classes;
  return {
    version: 1,
    title: spec.title,
    instructions: spec.instructions,
    rule: { type: r.type, classes },
    vault,
    keyNonce: keyNonce?.toString(),
  };
}

/** metadataURI (a data: URI) and metadataHash (keccak256 of the JSON) for createTask. */
export function encodeTaskMetadata(m: TaskMetadata): { uri: string; hash: `0x${string}` } {
  const json = JSON.stringify(taskMetadataSchema.parse(m));
  const bytes = stringToBytes(json);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return { uri: `${PREFIX}${btoa(bin)}`, hash: keccak256(bytes) };
}

/** Reads metadata from a task's metadataURI and checks it against metadataHash; null when the task has none. */
export function decodeTaskMetadata(uri: string, hash: `0x${string}`): TaskMetadata | null {
  if (uri === "") return null;
  if (!uri.startsWith(PREFIX)) {
    throw new Error(`the task's metadata is at ${uri}, which is not an inline data: URI; fetch it yourself`);
  }
  const bytes = Uint8Array.from(atob(uri.slice(PREFIX.length)), (c) => c.charCodeAt(0));
  if (keccak256(bytes) !== hash) throw new Error("the task's metadata does not match its on-chain metadataHash");
  const parsed = taskMetadataSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
  if (!parsed.success) throw new Error("the task's metadata is not zkLabel task metadata (version 1)");
  return parsed.data;
}
