/**
 * Lint: the import graph of the packages (packages/<name>/src) and the web app (apps/web/src) has
 * no cycle, and the app's lib/ never imports its components/. Imports are resolved the way
 * TypeScript resolves them (the app's "@/..." alias is apps/web/src, "@zklabel/<pkg>/..." goes
 * through each package's exports), so a cycle that runs through an alias or another package is
 * found too. Type-only imports (`import type`, `export type`) are erased before anything runs and
 * are not edges: they cannot make a module read another one before it has finished loading.
 *
 * Usage: node scripts/lint/imports.ts [--all]   (--all: count type-only imports as edges too)
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const ROOT = join(import.meta.dirname, "..", "..");
/** The trees whose imports are checked. */
const TREES = [/^packages\/[^/]+\/src\//, /^apps\/web\/src\//];
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED = [/\.d\.ts$/, /\.test\.tsx?$/];
/** apps/web/src/lib/ is below apps/web/src/components/: it may not import it. */
const LIB = /^apps\/web\/src\/lib\//;
const COMPONENTS = /^apps\/web\/src\/components\//;

/** One import of a file: what it names, where it resolves to (a repository path), whether it is type-only. */
export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
  line: number;
  typeOnly: boolean;
}

/** The module specifiers of a file, each with whether the import is erased at run time. */
export function importsOf(file: string, text: string): { specifier: string; line: number; typeOnly: boolean }[] {
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: { specifier: string; line: number; typeOnly: boolean }[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteralLike(spec))
      out.push({ specifier: spec.text, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      // `import type {...}`, or `import { type A, type B }` with nothing else: erased.
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly =
        !!c &&
        (c.isTypeOnly || (!c.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(
        node,
        node.moduleSpecifier,
        node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)),
      );
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(node, arg.literal, true);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require") {
      add(node, node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Compiler options per tree: the app's tsconfig (its "@/" alias, bundler resolution), else the root's. */
function optionsFor(): (file: string) => ts.CompilerOptions {
  const parse = (config: string) => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, config),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
      },
    );
    if (!parsed) throw new Error(`cannot read ${config}`);
    return parsed.options;
  };
  const app = parse("apps/web/tsconfig.json");
  const root = parse("tsconfig.json");
  return (file) => (file.startsWith("apps/web/") ? app : root);
}

/** Every checked file's imports that resolve to another checked file. */
export function importGraph(files: readonly string[]): ImportEdge[] {
  const inGraph = new Set(files);
  const options = optionsFor();
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(ROOT, from), "utf8");
    for (const imp of importsOf(from, text)) {
      const r = ts.resolveModuleName(imp.specifier, join(ROOT, from), options(from), ts.sys).resolvedModule;
      if (!r) continue; // an unresolved import is the type checker's to report
      const to = relative(ROOT, ts.sys.realpath?.(r.resolvedFileName) ?? r.resolvedFileName);
      if (inGraph.has(to)) edges.push({ from, to, specifier: imp.specifier, line: imp.line, typeOnly: imp.typeOnly });
    }
  }
  return edges;
}

/** The cycles of a graph: one cycle (a closed path of files) per strongly connected part that has one. */
export function findCycles(edges: readonly Pick<ImportEdge, "from" | "to">[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's strongly connected components, iteratively (deep graphs must not overflow the stack).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const parts: string[][] = [];
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const outs = next.get(top.node) ?? [];
      if (top.i < outs.length) {
        const w = outs[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node) ?? 0, index.get(w) ?? 0));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent) ?? 0, low.get(top.node) ?? 0));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const part: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          part.push(w);
        } while (w !== top.node);
        const selfLoop = (next.get(top.node) ?? []).includes(top.node);
        if (part.length > 1 || selfLoop) parts.push(part);
      }
    }
  }
  // One closed path inside each part: breadth-first from its first file back to it.
  return parts.map((part) => {
    const members = new Set(part);
    const first = [...part].sort()[0];
    const from = new Map<string, string>();
    const queue = [first];
    while (queue.length) {
      const n = queue.shift() as string;
      for (const w of next.get(n) ?? []) {
        if (!members.has(w)) continue;
        if (w === first) {
          const path = [n];
          for (let p = from.get(n); p !== undefined; p = from.get(p)) path.unshift(p);
          return [...path, first];
        }
        if (!from.has(w) && w !== first) {
          from.set(w, n);
          queue.push(w);
        }
      }
    }
    return [first, first];
  });
}

/** The checked files of the working tree. */
export function checkedFiles(): string[] {
  const list = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return list
    .split("\n")
    .filter((f) => SOURCE.test(f) && TREES.some((t) => t.test(f)) && !SKIPPED.some((s) => s.test(f)))
    .filter((f) => {
      try {
        readFileSync(join(ROOT, f));
        return true;
      } catch {
        return false; // listed but deleted in the working tree
      }
    });
}

/** Edges from the app's lib/ into its components/. */
export const libIntoComponents = (edges: readonly ImportEdge[]): ImportEdge[] =>
  edges.filter((e) => LIB.test(e.from) && COMPONENTS.test(e.to));

if (process.argv[1] === import.meta.filename) {
  const all = importGraph(checkedFiles());
  const edges = process.argv.includes("--all") ? all : all.filter((e) => !e.typeOnly);
  const cycles = findCycles(edges);
  const upward = libIntoComponents(all);
  for (const c of cycles) {
    const steps = c.slice(0, -1).map((f, i) => {
      const e = edges.find((x) => x.from === f && x.to === c[i + 1]);
      return `  ${f}:${e?.line ?? "?"} imports "${e?.specifier ?? c[i + 1]}"`;
    });
    console.log(`import cycle (${c.length - 1} files):\n${steps.join("\n")}\n  -> back to ${c[0]}`);
  }
  for (const e of upward) console.log(`${e.from}:${e.line}: lib/ imports components/ ("${e.specifier}" -> ${e.to})`);
  if (cycles.length || upward.length) {
    console.log(
      `\n${cycles.length} import cycle(s), ${upward.length} import(s) from apps/web/src/lib/ into components/: move what both sides need into a module they both import (lib/ for the app), so each import points one way.`,
    );
    process.exit(1);
  }
  console.log(`no import cycles in ${new Set(all.map((e) => e.from)).size} files; lib/ imports no components/`);
}
