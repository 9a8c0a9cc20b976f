/**
 * The repository's own tooling for the packages' tests, through @zklabel/testkit: the root folder and
 * the one deploy path (scripts/lib/deploy.ts). test/helpers belongs to the root tree, so it may reach
 * scripts/ by a relative path; the packages may not (scripts/lint/relative-imports.ts).
 */
export { deployZkLabel } from "../../scripts/lib/deploy.ts";
export { ROOT } from "../../scripts/lib/process.ts";
