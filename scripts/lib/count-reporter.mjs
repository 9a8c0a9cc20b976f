// node:test reporter that counts leaf tests (not suites) and appends
// {"passed": n, "failed": n} to the file named by ZKLABEL_COUNTS.
import { appendFileSync } from "node:fs";

export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    if (event.data.details?.type === "suite") continue;
    // A file that fails to load is reported as a failing "test" named after the file.
    if (event.type === "test:pass") passed++;
    else failed++;
  }
  if (process.env.ZKLABEL_COUNTS) appendFileSync(process.env.ZKLABEL_COUNTS, `${JSON.stringify({ passed, failed })}\n`);
  yield "";
}
