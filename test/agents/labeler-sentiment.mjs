// A labeling agent for `zklabel work`: reads each review and picks its sentiment by keywords.
// It appends every choice to $AGENT_LOG (JSONL) so the test can compare the requester's export.
import { appendFileSync } from "node:fs";

const RULES = [
  [/stopped working|scratched|never answered/, "negative"],
  [/is fine|does what the box says/, "neutral"],
  [/excellent|exceeded/, "positive"],
];

export function label(item, task) {
  const hit = RULES.find(([re]) => re.test(item.text ?? ""));
  const choice = hit ? hit[1] : "neutral";
  if (!task.classes.includes(choice)) throw new Error(`class ${choice} is not in this task`);
  if (process.env.AGENT_LOG)
    appendFileSync(process.env.AGENT_LOG, `${JSON.stringify({ name: item.name, label: choice })}\n`);
  return choice;
}
