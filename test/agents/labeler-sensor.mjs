// A labeling agent for sensor-range tasks: a window is an anomaly when any reading leaves the
// task's band [lo, hi]. (A model would go here; the rule itself makes a perfect agent.)
export function label(item, task) {
  const { lo, hi } = task.params;
  return item.readings.some((r) => r < lo || r > hi) ? "anomaly" : "normal";
}
