/**
 * How numbers read to people: items and classes are counted from 1 in every message, page and
 * CLI line, while indexes in code, files, events and flags stay 0-based. Batches keep their
 * on-chain index everywhere ("batch 0"), since people look them up in events and explorers.
 * The one place for the convention, so the requester's class 1 is the worker's key 1.
 */

/** The number a person sees for dataset item index `i` ("item 1" is index 0). */
export const itemNumber = (i: number): number => i + 1;

/** The number a person sees for class index `c` (key 1 on the labeler is class index 0). */
export const classNumber = (c: number): number => c + 1;

/** "item 3" for index 2. */
export const itemName = (i: number): string => `item ${itemNumber(i)}`;

/** A class in words: its name when it has one, its number otherwise. */
export const className = (c: number, names?: readonly string[]): string =>
  names?.[c] !== undefined ? `"${names[c]}"` : `class ${classNumber(c)}`;
