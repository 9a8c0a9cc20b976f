// A labeling agent for polygon tasks (a rule made with the rule authoring kit): a triangle over
// the image, two pixels in from its edges, of class car; with ZKLABEL_TEST_CAREFUL=1 the second
// image of the batch gets a 28-pixel square in its top-left corner instead (a model would go here).
const VERTICES = 6;

function polygon(cls, points) {
  const label = { class: cls, n: points.length };
  for (let k = 0; k < VERTICES; k++) {
    label[`x${k}`] = points[k]?.[0] ?? 0;
    label[`y${k}`] = points[k]?.[1] ?? 0;
  }
  return label;
}

export function label(item) {
  if (process.env.ZKLABEL_TEST_CAREFUL === "1" && item.index % 6 === 1)
    return polygon("car", [
      [2, 2],
      [30, 2],
      [30, 30],
      [2, 30],
    ]);
  return polygon("car", [
    [2, 2],
    [item.width - 2, 2],
    [2, item.height - 2],
  ]);
}
