/**
 * A source check of the author's per-item template (circuits/<rule>.circom, <Rule>Item) for two
 * classic mistakes that no single witness shows (docs/writing-rules.md):
 *   - a signal assigned with `<--` that no constraint ties to what it was computed from: a prover
 *     may put any value there that the constraints it does appear in accept (the right edge of a
 *     box computed with `<--` and only range-checked is any edge);
 *   - a parameter the template never constrains: a public input that binds nothing (label and item
 *     fields are bound whatever the rule does: packed into the commitment, committed in the leaf).
 * A `<--` is tied when one constraint (`===`, `<==`, `==>`) mentions its signal and every signal
 * its expression reads (a component counts as one signal: its ports are tied inside it).
 */

export interface LintFinding {
  line: number;
  message: string;
}

const strip = (src: string) =>
  src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/\/\/[^\n]*/g, "");

/** The body of `template NAME(...) { ... }` in `src` (comments blanked), with the line its body starts on. */
export function templateBody(src: string, name: string): { body: string; line: number } | undefined {
  const clean = strip(src);
  const m = new RegExp(`template\\s+${name}\\s*\\([^)]*\\)\\s*\\{`).exec(clean);
  if (!m) return undefined;
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; i < clean.length && depth > 0; i++) {
    if (clean[i] === "{") depth++;
    else if (clean[i] === "}") depth--;
  }
  return { body: clean.slice(start, i - 1), line: clean.slice(0, start).split("\n").length };
}

/** The signal-like names an expression reads: declared signals, and components by name (for `c.port`). */
function namesIn(expr: string, signals: ReadonlySet<string>, components: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const m of expr.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)(\s*\[[^\]]*\])*(\.[A-Za-z_][A-Za-z0-9_]*)?/g)) {
    const id = m[1];
    if (signals.has(id) || components.has(id)) out.add(id);
  }
  return out;
}

/** Findings in the author's template `name` of circuit source `src`; `params` are its parameter inputs (each must be constrained). */
export function lintItemTemplate(src: string, name: string, params: readonly string[]): LintFinding[] {
  const t = templateBody(src, name);
  if (!t) return [{ line: 1, message: `no template ${name}() in the circuit file: the kit wires every item into it` }];
  const signals = new Set<string>();
  const components = new Set<string>();
  for (const m of t.body.matchAll(/\bsignal\s+(?:input\s+|output\s+)?([A-Za-z_][A-Za-z0-9_]*)/g)) signals.add(m[1]);
  for (const m of t.body.matchAll(/\bcomponent\s+([A-Za-z_][A-Za-z0-9_]*)/g)) components.add(m[1]);
  // Statements with the line each starts on.
  const statements: { text: string; line: number }[] = [];
  let line = t.line;
  let cur = "";
  let curLine = line;
  for (const ch of t.body) {
    if (cur.trim() === "") curLine = line;
    if (ch === "\n") line++;
    if (ch === ";" || ch === "{" || ch === "}") {
      if (cur.trim()) statements.push({ text: cur.trim(), line: curLine });
      cur = "";
    } else cur += ch;
  }
  const constraints: Set<string>[] = [];
  const hints: { lhs: string; reads: Set<string>; line: number; text: string }[] = [];
  for (const s of statements) {
    const text = s.text;
    if (/<==|==>|===/.test(text)) {
      // `signal x <== e;` declares and constrains.
      constraints.push(namesIn(text.replace(/\bsignal\s+(input\s+|output\s+)?/, ""), signals, components));
    } else if (text.includes("<--") || text.includes("-->")) {
      const [l, r] = text.includes("<--") ? text.split("<--") : text.split("-->").reverse();
      const lhs = [...namesIn(l.replace(/\bsignal\s+(input\s+|output\s+)?/, ""), signals, components)][0];
      if (lhs) hints.push({ lhs, reads: namesIn(r, signals, components), line: s.line, text });
    }
  }
  const findings: LintFinding[] = [];
  for (const h of hints) {
    const reads = [...h.reads].filter((x) => x !== h.lhs);
    const tied = constraints.some((c) => c.has(h.lhs) && reads.every((x) => c.has(x)));
    if (!tied)
      findings.push({
        line: h.line,
        message:
          `\`${h.text}\` assigns ${h.lhs} with <-- but no constraint ties ${h.lhs} to ${reads.join(", ") || "anything"}: ` +
          `a prover can set ${h.lhs} to any value the other constraints accept. Use <== when the expression is ` +
          `quadratic, or add a === that mentions ${h.lhs} and ${reads.join(", ") || "what it is computed from"}.`,
      });
  }
  const hasRule = constraints.length > 0 || hints.length > 0;
  for (const input of params) {
    const used = constraints.some((c) => c.has(input));
    if (hasRule && !used)
      findings.push({
        line: t.line,
        message: `parameter ${input} is in no constraint of ${name}: a task may set it to anything and the proof would not care (use it in a constraint, or drop it from the description)`,
      });
  }
  return findings;
}
