/**
 * The natural witness of an input: every signal as the circuit's own witness
 * generator computes it, with none of its checks enforced.
 *
 * circom compiles each `===` and each `assert(...)` into the same check in the
 * generated WebAssembly, `if (!cond) { printErrorMessage(); return 4; }`
 * ("Assert Failed"), so a failing witness generator cannot tell a constraint
 * from a mere assertion. `assertFreeWasm` returns a copy of a circuit's .wasm
 * whose `i32.const 4; return` after each such `call $printErrorMessage` are
 * replaced by no-ops (same length, so nothing else moves): the generator then
 * computes every signal exactly as before and carries on past the failed
 * checks. Its witness has the wires of the original circuit (same .wasm, same
 * witness map), so it can be checked against the original .r1cs directly: no
 * recompilation, no name mapping, and nothing optimized away differently.
 *
 * What a violated constraint then shows: the input's own witness, on the wires
 * O2 kept, is rejected by the very system the verifier checks. A linear check
 * whose signals O2 substituted away is seen only through the constraints they
 * were substituted into; if the kept wires fit some valid assignment of the
 * eliminated ones, the system accepts them, and rightly so, since a proof of
 * the same public values then exists (test/circuits/soundness-helpers.test.ts
 * therefore states its toy rule on a kept wire).
 *
 * The patch walks the code section instruction by instruction (the WebAssembly
 * MVP encoding plus the 0xfc prefix) and refuses any opcode it does not know,
 * so it never rewrites bytes that are immediates of another instruction.
 */
import { readFile } from "node:fs/promises";

const ASSERT_FAILED = 4;

function u32(b: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let o = at;
  for (;;) {
    const byte = b[o++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next: o };
  }
}

/** Skips a (signed or unsigned) LEB128 number. */
function skipLeb(b: Uint8Array, at: number): number {
  let o = at;
  while (b[o] & 0x80) o++;
  return o + 1;
}

function name(b: Uint8Array, at: number): { value: string; next: number } {
  const { value: n, next } = u32(b, at);
  return { value: new TextDecoder().decode(b.subarray(next, next + n)), next: next + n };
}

/** Index of the imported function module.field (imported functions come first in the function index space). */
function importedFunction(b: Uint8Array, start: number, module: string, field: string): number {
  let { value: count, next: o } = u32(b, start);
  let fn = 0;
  while (count--) {
    const m = name(b, o);
    const f = name(b, m.next);
    o = f.next;
    const kind = b[o++];
    if (kind === 0) {
      if (m.value === module && f.value === field) return fn;
      fn++;
      o = skipLeb(b, o);
    } else if (kind === 1) {
      o++; // reftype
      o = b[o] === 0 ? skipLeb(b, o + 1) : skipLeb(b, skipLeb(b, o + 1));
    } else if (kind === 2) {
      o = b[o] === 0 ? skipLeb(b, o + 1) : skipLeb(b, skipLeb(b, o + 1));
    } else if (kind === 3) {
      o += 2; // valtype, mutability
    } else throw new Error(`unknown import kind ${kind}`);
  }
  throw new Error(`the module imports no function ${module}.${field}`);
}

/** Offset after the immediates of the instruction whose opcode is at `at`. */
function skipInstruction(b: Uint8Array, at: number): number {
  const op = b[at];
  const o = at + 1;
  if (op === 0x00 || op === 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b) return o;
  if (op >= 0x02 && op <= 0x04) {
    // block type: empty (0x40), a value type, or a type index (signed LEB)
    const t = b[o];
    return t === 0x40 || (t >= 0x6f && t <= 0x7f) ? o + 1 : skipLeb(b, o);
  }
  if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x26) || op === 0xd2) return skipLeb(b, o);
  if (op === 0x0e) {
    let { value: n, next } = u32(b, o);
    while (n-- >= 0) next = skipLeb(b, next);
    return next;
  }
  if (op === 0x11) return skipLeb(b, skipLeb(b, o));
  if (op === 0x1c) {
    const { value: n, next } = u32(b, o);
    return next + n;
  }
  if (op >= 0x28 && op <= 0x3e) return skipLeb(b, skipLeb(b, o)); // memarg: align, offset
  if (op === 0x3f || op === 0x40 || op === 0xd0) return o + 1;
  if (op === 0x41 || op === 0x42) return skipLeb(b, o);
  if (op === 0x43) return o + 4;
  if (op === 0x44) return o + 8;
  if ((op >= 0x45 && op <= 0xc4) || op === 0xd1) return o;
  if (op === 0xfc) {
    const { value: sub, next } = u32(b, o);
    if (sub <= 7) return next;
    if (sub === 8) return skipLeb(b, next) + 1;
    if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) return skipLeb(b, next);
    if (sub === 10) return next + 2;
    if (sub === 11) return next + 1;
    if (sub === 12 || sub === 14) return skipLeb(b, skipLeb(b, next));
  }
  throw new Error(`unknown WebAssembly opcode 0x${op.toString(16)} at byte ${at}`);
}

/**
 * A copy of `wasm` (a circom witness generator) in which no failed `===` or
 * `assert` stops the computation, and how many checks were disabled.
 */
export function disableAssertions(wasm: Uint8Array): { wasm: Uint8Array<ArrayBuffer>; patched: number } {
  const b = new Uint8Array(wasm);
  if (b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) throw new Error("not a WebAssembly module");
  let printError = -1;
  let patched = 0;
  let o = 8;
  while (o < b.length) {
    const id = b[o];
    const { value: size, next: start } = u32(b, o + 1);
    const end = start + size;
    if (id === 2) printError = importedFunction(b, start, "runtime", "printErrorMessage");
    if (id === 10) {
      if (printError < 0) throw new Error("no import section before the code section");
      let { value: bodies, next: p } = u32(b, start);
      while (bodies--) {
        const body = u32(b, p);
        const bodyEnd = body.next + body.value;
        let { value: groups, next: q } = u32(b, body.next);
        while (groups--) q = skipLeb(b, q) + 1; // count, value type
        // The last three instructions: [opcode offset, end offset].
        const recent: [number, number][] = [];
        while (q < bodyEnd) {
          const next = skipInstruction(b, q);
          recent.push([q, next]);
          if (recent.length > 3) recent.shift();
          if (recent.length === 3) {
            const [call, constant, ret] = recent;
            if (
              b[call[0]] === 0x10 &&
              u32(b, call[0] + 1).value === printError &&
              b[constant[0]] === 0x41 &&
              constant[1] - constant[0] === 2 &&
              b[constant[0] + 1] === ASSERT_FAILED &&
              b[ret[0]] === 0x0f
            ) {
              b.fill(0x01, constant[0], ret[1]); // nop nop nop
              patched++;
            }
          }
          q = next;
        }
        if (q !== bodyEnd) throw new Error(`function body decoding overran at byte ${q}`);
        p = bodyEnd;
      }
    }
    o = end;
  }
  if (patched === 0) throw new Error("found no assertion to disable: not a circom witness generator?");
  return { wasm: b, patched };
}

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** The assertion-free copy of a circuit's .wasm file (computed once per file and process). */
export function assertFreeWasm(path: string): Promise<Uint8Array<ArrayBuffer>> {
  let p = cache.get(path);
  if (!p) {
    p = readFile(path).then(async (bytes) => {
      const { wasm } = disableAssertions(bytes);
      await WebAssembly.compile(wasm); // validates the patched module
      return wasm;
    });
    cache.set(path, p);
  }
  return p;
}
