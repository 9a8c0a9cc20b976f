import { contentHash } from "./field.ts";
import { requesterKeyFromSignature } from "./identity.ts";
import type { ClassificationParams } from "./rules/classification.ts";

/** The demo task `npm run dev` seeds: short product reviews to classify by sentiment. */
export const DEMO_CLASSES = ["negative", "neutral", "positive", "off-topic"] as const;

/** Classes 0..2 may be used; "off-topic" exists but this task does not accept it. */
export const DEMO_PARAMS: ClassificationParams = { numClasses: 4, allowedMask: 0b0111n };

const subjects = [
  "The blender",
  "This lamp",
  "The headphones",
  "My new kettle",
  "The backpack",
  "This keyboard",
  "The umbrella",
  "The phone case",
];
const verdicts = [
  ["stopped working after two days", 0],
  ["arrived scratched and the seller never answered", 0],
  ["is fine, nothing special", 1],
  ["does what the box says", 1],
  ["is excellent and I would buy it again", 2],
  ["exceeded every expectation", 2],
] as const;

/** 100 demo items (two batches at N = 64: one full, one partial) with their intended sentiment. */
export function demoItems(n = 100): { text: string; sentiment: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const [verdict, sentiment] = verdicts[(i * 7 + 3) % verdicts.length];
    return { text: `#${i + 1}: ${subjects[i % subjects.length]} ${verdict}.`, sentiment };
  });
}

/** Leaf of a text item for a rule that reads nothing of the item: its content hash. */
export function textLeaf(text: string): bigint {
  return contentHash(new TextEncoder().encode(text));
}

/** A fixed requester key for tests and benchmarks (the dev stack derives a real one from the requester's signature). */
export const DEMO_REQUESTER_KEY = requesterKeyFromSignature(`0x${"5a".repeat(65)}`);
