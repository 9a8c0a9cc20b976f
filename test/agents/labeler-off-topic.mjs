// A labeling agent that breaks the task's rule: it calls every tenth review "off-topic", a class
// the task lists but does not allow. `zklabel work` must stop before proving and submit nothing.
export function labelBatch(items) {
  return items.map((_item, i) => (i % 10 === 9 ? "off-topic" : "neutral"));
}
