// A labeling agent for `zklabel work`: reads each product review and picks its sentiment by
// keywords. Swap the body of `label` for a call to your model; return a class name (or number).
const RULES = [
  [/stopped working|scratched|never answered|broke|refund/i, "negative"],
  [/excellent|exceeded|love|would buy it again/i, "positive"],
];

/** item = { index, name, type, bytes, text, ... }; task = { taskId, batchIndex, title, instructions, rule, classes, params } (zklabel work --help). */
export function label(item, task) {
  const hit = RULES.find(([re]) => re.test(item.text ?? ""));
  const choice = hit ? hit[1] : "neutral";
  if (!task.classes.includes(choice))
    throw new Error(`this agent labels sentiment; task ${task.taskId} has no "${choice}" class`);
  return choice;
}
