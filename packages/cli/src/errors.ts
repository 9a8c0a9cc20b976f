/**
 * How a failure ends a run: its exit code comes from the error's stable code (core errorKind:
 * usage 2, input 3, anything else 1), the command framework's own complaints are usage errors,
 * and the person reads one line on stderr (or, with --json, an object with the code on stdout).
 */
import type { CommanderError, CommandUnknownOpts } from "@commander-js/extra-typings";
import { errorCode, errorKind, ZkLabelError } from "@zklabel/core/errors";
import { EXIT, toJson } from "./common.ts";

const EXIT_OF_KIND = { usage: EXIT.usage, input: EXIT.input, failed: EXIT.failed } as const;

/** The exit code of a failure. */
export const exitCodeOf = (e: unknown): number => EXIT_OF_KIND[errorKind(e)];

/** "zklabel task create": how to ask for a command's help. */
export function commandPath(cmd: CommandUnknownOpts): string {
  const names: string[] = [];
  for (let c: CommandUnknownOpts | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * The framework's refusal of the command line (an unknown command or option, a missing or
 * mistyped value) as a usage error that names where to look. `err` is the framework's error,
 * raised while parsing `cmd`.
 */
export function frameworkError(err: CommanderError, cmd: CommandUnknownOpts): ZkLabelError {
  const path = commandPath(cmd);
  if (err.code === "commander.help") {
    // A command group without its command: the framework has just printed the group's help.
    return new ZkLabelError("usage", `${path} needs one of the commands listed above`);
  }
  const [first, ...more] = err.message
    .replace(/^error: /, "")
    .replace(/'([^']*)'/g, '"$1"')
    .split("\n");
  return new ZkLabelError("usage", [`${first.replace(/\.$/, "")}: run ${path} --help`, ...more].join("\n"));
}

/** The words of a failure, with context a bare message lacks. */
function messageOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // The vault sent something that does not check out against the chain: not the person's input.
  return errorCode(e) === "vault_bad_answer" ? `the vault's answer failed a check: ${message}` : message;
}

/** Tells the person what failed: a line on stderr, or a JSON object on stdout with --json. */
export function reportFailure(e: unknown, json: boolean): void {
  const message = messageOf(e);
  if (json) {
    const errorName = e instanceof Error && "errorName" in e ? e.errorName : undefined;
    console.log(toJson({ ok: false, error: message, code: errorCode(e), errorName }));
  } else {
    console.error(`zklabel: ${message}`);
  }
}
