/**
 * Invalid inputs that break one rule and nothing else. Changing a label of a
 * valid input also breaks labelsCommitment (and, in a worker proof, the
 * ciphertext of the packed labels), so the constraint system would reject it
 * even with the rule itself gone: a test of the rule would then prove nothing
 * about the rule. `recommit` recomputes what the labels feed, as a cheating
 * worker would, so only the rule's own constraints are left to reject it.
 */
import { encryptToRequester } from "@zklabel/core/encryption";
import { SNARK_SCALAR_FIELD as P } from "@zklabel/core/field";
import { labelsPerElement, poseidonChain } from "@zklabel/core/labels";
import { circuitInfo } from "@zklabel/core/registry";

type Input = Record<string, unknown>;

/** The label values of a rule circuit's input: `labels`, or a bounding box's class + x 2^8 + y 2^24 + w 2^40 + h 2^56. */
function labelValues(input: Input): bigint[] {
  if (input.boxes) {
    const classes = input.classes as string[];
    return (input.boxes as string[][]).map((b, i) => {
      const [x, y, w, h] = b.map(BigInt);
      return (BigInt(classes[i]) + x * 2n ** 8n + y * 2n ** 24n + w * 2n ** 40n + h * 2n ** 56n) % P;
    });
  }
  return (input.labels as string[]).map((l) => BigInt(l) % P);
}

/** PackLabels in field arithmetic: it packs any field element, as the circuit does (packLabels refuses what does not fit). */
function fieldPack(values: readonly bigint[], bits: number): bigint[] {
  const per = labelsPerElement(bits);
  const out: bigint[] = [];
  for (let k = 0; k * per < values.length; k++) {
    let acc = 0n;
    for (let j = 0; j < per && k * per + j < values.length; j++) acc += values[k * per + j] << BigInt(bits * j);
    out.push(acc % P);
  }
  return out;
}

/**
 * `input` (a witness input of registry circuit `circuit`) with labelsCommitment
 * recomputed from its own labels and salt, and for a worker proof its
 * ciphertext too (same ephemeral secret, so epk is unchanged).
 */
export function recommit<T extends Input>(circuit: string, input: T): T {
  const info = circuitInfo(circuit);
  if (info.labelBits === undefined) throw new Error(`${circuit} has no labels`);
  const packed = fieldPack(labelValues(input), info.labelBits);
  const salt = BigInt(input.salt as string);
  const out: Input = { ...input, labelsCommitment: poseidonChain(packed, salt).toString() };
  if (info.params.GROUP_DEPTH !== undefined) {
    const pkR = (input.pkR as string[]).map(BigInt) as [bigint, bigint];
    const enc = encryptToRequester(
      [...packed, salt],
      pkR,
      BigInt(input.batchIndex as string),
      BigInt(input.ephemeralSecret as string),
    );
    out.ciphertext = enc.ciphertext.map(String);
  }
  return out as T;
}
