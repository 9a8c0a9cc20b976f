/** `zklabel rule new NAME`: writes a new rule's files under a repository root (generate.ts says which). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ruleDescriptionSchema } from "@zklabel/core/rules/kit";
import {
  circuitFile,
  exampleFiles,
  GENERATED_MARK,
  generatedPart,
  moduleFile,
  registerInIndex,
  registryEntry,
  rulePaths,
} from "./generate.ts";

/** A description the person gave that the kit cannot use, with every problem in words. */
export class DescriptionError extends Error {
  override name = "DescriptionError";
}

/** The description a rule starts from when none is given: one class out of two, read off nothing but the content. */
export function starterDescription(name: string, id: number) {
  return {
    name,
    id,
    title: name[0].toUpperCase() + name.slice(1),
    noun: name,
    summary: "each item gets one of two classes",
    items: { kind: "content", fields: [] },
    label: [{ name: "cls", type: "enum", values: ["no", "yes"] }],
    params: [],
    batch: 32,
    budget: { perLabel: 100 },
  };
}

/** Parses a description (a file's JSON), refusing it with every problem named by its path. */
export function parseDescription(json: unknown, source: string) {
  const r = ruleDescriptionSchema.safeParse(json);
  if (!r.success)
    throw new DescriptionError(
      `${source} is not a usable rule description:\n${r.error.issues.map((i) => `  ${i.path.join(".") || "(the file)"}: ${i.message}`).join("\n")}`,
    );
  return r.data;
}

export interface ScaffoldResult {
  written: string[];
  kept: string[];
}

/**
 * Writes the rule's files under `root`. An existing rule is refused unless `force`; with force the
 * author's template and the module are kept (the generated part of the circuit is rewritten from the
 * description), and so are the examples.
 */
export async function scaffoldRule(
  root: string,
  descriptionJson: unknown,
  source: string,
  opts: { force?: boolean } = {},
): Promise<ScaffoldResult> {
  const d = parseDescription(descriptionJson, source);
  const paths = rulePaths(d.name);
  const registryPath = join(root, paths.registry);
  const registry = JSON.parse(await readFile(registryPath, "utf8")) as {
    circuits: { name: string; rule: string; ruleId?: number }[];
  };
  const clash = registry.circuits.find((c) => c.ruleId === d.id && c.rule !== d.name);
  if (clash)
    throw new DescriptionError(`rule id ${d.id} is taken by rule "${clash.rule}": pick another id in ${source}`);
  const exists = registry.circuits.some((c) => c.rule === d.name) || existsSync(join(root, paths.module));
  if (exists && !opts.force)
    throw new DescriptionError(
      `a rule "${d.name}" exists already: pick another name, or pass --force to regenerate its generated parts`,
    );

  const out: ScaffoldResult = { written: [], kept: [] };
  const write = async (rel: string, text: string) => {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
    out.written.push(rel);
  };
  const circuitPath = join(root, paths.circuit);
  if (existsSync(circuitPath)) {
    const old = await readFile(circuitPath, "utf8");
    const at = old.indexOf(GENERATED_MARK);
    if (at < 0)
      throw new DescriptionError(
        `${paths.circuit} has lost the line "${GENERATED_MARK}...": restore it or remove the file`,
      );
    await write(paths.circuit, old.slice(0, at) + generatedPart(d));
  } else await write(paths.circuit, circuitFile(d));
  if (existsSync(join(root, paths.module))) out.kept.push(paths.module);
  else await write(paths.module, moduleFile(d, descriptionJson));
  // The starting examples go into a rule without examples; an author's examples are theirs.
  const examplesDir = join(root, paths.examples);
  const hasExamples = existsSync(examplesDir) && (await readdir(examplesDir)).some((f) => f.endsWith(".json"));
  if (hasExamples) out.kept.push(`${paths.examples}/`);
  else
    for (const [file, ex] of Object.entries(exampleFiles(d)))
      await write(`${paths.examples}/${file}`, `${JSON.stringify(ex, null, 2)}\n`);
  const entry = registryEntry(d);
  const kept = registry.circuits.filter((c) => c.name !== entry.name);
  const at = kept.findIndex((c) => c.rule === "core");
  kept.splice(at < 0 ? kept.length : at, 0, entry);
  await write(paths.registry, `${JSON.stringify({ ...registry, circuits: kept }, null, 2)}\n`);
  const indexPath = join(root, paths.index);
  await write(paths.index, registerInIndex(await readFile(indexPath, "utf8"), d.name));

  // The public-input layout follows the registry (the checked-in generated files must stay current).
  const gen = join(root, "scripts", "circuits", "gen-layout.ts");
  if (existsSync(gen)) {
    const r = spawnSync(process.execPath, [gen], { cwd: root, encoding: "utf8" });
    if (r.status !== 0)
      throw new Error(`scripts/circuits/gen-layout.ts failed after adding ${entry.name}:\n${r.stderr || r.stdout}`);
    out.written.push("packages/core/src/generated/circuits.ts", "contracts/generated/PublicInputs.sol");
  }
  // Generated files come out formatted as `npm run lint` wants them.
  const biome = join(root, "node_modules", ".bin", "biome");
  if (existsSync(biome))
    spawnSync(biome, ["format", "--write", ...out.written.filter((f) => /\.(ts|json)$/.test(f))], { cwd: root });
  return out;
}
