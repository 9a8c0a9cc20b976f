// A labeling agent that never looks at the item: every label is an allowed class picked by the item's
// index (a bot draining a task). Its labels follow the rule, so its proofs verify; gold items catch it.
const ALLOWED = ["negative", "neutral", "positive"];
export function labelBatch(items) {
  return items.map((item) => ALLOWED[item.index % 3]);
}
