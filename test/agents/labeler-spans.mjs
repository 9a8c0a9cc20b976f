// A labeling agent for entity-span tasks (a rule made with the rule authoring kit): the first
// capitalised word run after the sentence's first word is the entity, a place after "in", "to",
// "from" or "on", a person otherwise. (A model would go here.)
export function label(item, task) {
  const text = item.text;
  const m = /\s((?:[A-Z][a-z]+)(?:\s[A-Z][a-z]+)*)/.exec(text);
  const start = m ? m.index + 1 : 0;
  let end = m ? start + m[1].length : text.length;
  // Shorter than the task's minimum: take the whole text (the rule wants at least minLength).
  if (end - start < task.params.minLength) end = Math.min(text.length, start + task.params.minLength);
  const before = text.slice(0, start).trimEnd().split(/\s/).pop();
  return { start, end, kind: ["in", "to", "from", "on"].includes(before) ? "place" : "person" };
}
