/**
 * A kit rule's description (docs/writing-rules.md): the schema of the file `zklabel rule new --from`
 * reads, and what follows from it alone: each label field's width, the parameter slots, the item
 * fields the circuit reads. The rule module built from it is kit.ts; the generator, @zklabel/rulekit.
 */
import { z } from "zod";
import { CLASS_LABEL_BITS, MAX_CLASSES } from "./classification.ts";
/** Widest field a description may declare: 48 bits keeps every value a safe JavaScript integer. */
export const KIT_MAX_BITS = 48;
/** Packed label width limit (labels.circom packs floor(248 / bits) labels per field element). */
export const KIT_MAX_LABEL_BITS = 248;

/** Names the generated circuit or the envelope already uses; a field may not take them. */
const RESERVED = new Set([
  "enabled",
  "present",
  "count",
  "salt",
  "label",
  "labels",
  "item",
  "leaf",
  "meta",
  "contentHash",
]);

const fieldName = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]{0,30}$/, "a field name is a lowerCamelCase identifier (letters and digits, from a-z)")
  .refine((n) => !RESERVED.has(n), { message: `this name is reserved (${[...RESERVED].join(", ")})` });

const bits = z
  .number()
  .int("bits must be a whole number")
  .min(1, "bits must be at least 1")
  .max(KIT_MAX_BITS, `bits must be at most ${KIT_MAX_BITS}`);

/** Where an item field's value comes from, read off the item's bytes when a dataset is built or a batch fetched. */
export const ITEM_SOURCES = ["image.width", "image.height", "text.length", "bytes.length", "json.KEY"] as const;
const itemSource = z
  .string()
  .regex(
    /^(image\.width|image\.height|text\.length|bytes\.length|json\.[A-Za-z_][A-Za-z0-9_]*)$/,
    `"from" is one of ${ITEM_SOURCES.join(", ")} (KEY: a number at that key of a JSON object item)`,
  );

const itemField = z.object({
  name: fieldName,
  bits,
  from: itemSource,
  /** Whether the circuit reads it (it is then committed in the item's leaf); unread fields reach only the TS check and the labeler. */
  read: z.boolean().default(true),
});

const labelField = z.discriminatedUnion("type", [
  z.object({ name: fieldName, type: z.literal("number"), bits, title: z.string().optional() }),
  z.object({
    name: fieldName,
    type: z.literal("enum"),
    values: z
      .array(z.string().trim().min(1))
      .min(2, "an enum has at least two values")
      .max(256, "an enum has at most 256 values")
      .refine((v) => new Set(v).size === v.length, "enum values must be unique"),
    title: z.string().optional(),
  }),
  z.object({ name: fieldName, type: z.literal("boolean"), title: z.string().optional() }),
  /**
   * The label's class among the task's class names (as classification and boxes have them): the task
   * spec names the classes and which are allowed; the kit checks it with classification's circuit and
   * takes parameter slots 0 and 1 (numClasses, allowedMask) for it. Named "cls", as agents' `class` maps to.
   */
  z.object({
    name: z.literal("cls", 'a class field is named "cls"'),
    type: z.literal("class"),
    title: z.string().optional(),
  }),
]);

const param = z.object({ name: fieldName, bits, title: z.string().optional() });

/** A kit rule's description: the file `zklabel rule new NAME --from FILE` reads, and what the module embeds. */
export const ruleDescriptionSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9]{1,23}$/, "a rule name is 2..24 lowercase letters and digits, from a-z"),
    /** The escrow's rule id (0 is none; 1..3 are the built-in rules). */
    id: z.number().int().min(1).max(255),
    title: z.string().min(1),
    noun: z.string().min(1),
    summary: z.string().min(1),
    items: z.object({
      /**
       * content: the circuit reads nothing of an item but its content hash (classification's datasets);
       * image: its pixel width and height (the bounding-box datasets: one image dataset serves both);
       * fields: the fields below marked read, committed as Poseidon(contentHash, fields...) per leaf.
       */
      kind: z.enum(["content", "image", "fields"]),
      fields: z.array(itemField).max(15, "at most 15 item fields (one Poseidon(16) per leaf)").default([]),
    }),
    label: z.array(labelField).min(1, "a label has at least one field"),
    params: z.array(param).max(4, "a task has four parameter slots: at most 4 parameters").default([]),
    /** Items per batch of the deployed circuit (a power of two). */
    batch: z.number().int().min(2).max(256).default(32),
    /** Constraints per label `zklabel rule test` allows (the marginal cost of one more label). */
    budget: z.object({ perLabel: z.number().int().positive() }),
  })
  .superRefine((d, ctx) => {
    if ((d.batch & (d.batch - 1)) !== 0)
      ctx.addIssue({ code: "custom", path: ["batch"], message: "batch must be a power of two" });
    const itemNames = d.items.kind === "image" ? ["width", "height"] : d.items.fields.map((f) => f.name);
    const names = [...itemNames, ...d.label.map((f) => f.name), ...d.params.map((p) => p.name)];
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice)
      ctx.addIssue({
        code: "custom",
        message: `the name "${twice}" is used twice: item fields, label fields and parameters share one namespace`,
      });
    const width = d.label.reduce((n, f) => n + labelFieldBits(f), 0);
    if (width > KIT_MAX_LABEL_BITS)
      ctx.addIssue({
        code: "custom",
        path: ["label"],
        message: `a label packs into ${width} bits, more than ${KIT_MAX_LABEL_BITS}`,
      });
    if (d.items.kind === "image") {
      const f = d.items.fields.map((x) => `${x.name}:${x.from}`).join(",");
      if (f !== "" && f !== "width:image.width,height:image.height")
        ctx.addIssue({
          code: "custom",
          path: ["items", "fields"],
          message: 'an image rule reads "width" and "height" (16 bits) and no other item field: leave fields empty',
        });
    }
    const classFields = d.label.filter((f) => f.type === "class").length;
    if (classFields > 1)
      ctx.addIssue({ code: "custom", path: ["label"], message: "a label has at most one class field" });
    if (classFields === 1 && d.params.length > 2)
      ctx.addIssue({
        code: "custom",
        path: ["params"],
        message: "a rule with a class field has two parameter slots left (the class takes numClasses and allowedMask)",
      });
    if (classFields === 1 && d.label.some((f) => f.type === "enum"))
      ctx.addIssue({ code: "custom", path: ["label"], message: "a label has a class field or enum fields, not both" });
    if (d.items.kind === "content" && d.items.fields.some((x) => x.read))
      ctx.addIssue({
        code: "custom",
        path: ["items", "fields"],
        message: 'a content rule reads no item field: use kind "fields" to commit fields in the leaves',
      });
    if (d.items.kind === "fields" && !d.items.fields.some((x) => x.read))
      ctx.addIssue({
        code: "custom",
        path: ["items", "fields"],
        message: 'kind "fields" needs at least one field the circuit reads (read: true)',
      });
  });

export type RuleDescription = z.output<typeof ruleDescriptionSchema>;
export type LabelField = RuleDescription["label"][number];
export type ItemField = RuleDescription["items"]["fields"][number];

/** Bits of one label field in the packed label. */
export function labelFieldBits(f: { type: string; bits?: number; values?: readonly string[] }): number {
  if (f.type === "boolean") return 1;
  if (f.type === "class") return CLASS_LABEL_BITS;
  if (f.type === "enum") return Math.max(1, Math.ceil(Math.log2((f.values as string[]).length)));
  return f.bits as number;
}

/** Largest value a label field takes (enum: its last index). */
export function labelFieldMax(f: LabelField): number {
  if (f.type === "enum") return f.values.length - 1;
  if (f.type === "class") return MAX_CLASSES - 1;
  return 2 ** labelFieldBits(f) - 1;
}

/** The parameters in slot order: a class field's numClasses and allowedMask first, then the description's. */
export function paramSlots(d: RuleDescription): { name: string; bits: number; title?: string }[] {
  const cls = d.label.some((f) => f.type === "class");
  return [
    ...(cls
      ? [
          { name: "numClasses", bits: 6, title: "Number of classes" },
          { name: "allowedMask", bits: 32, title: "Allowed classes (bit mask)" },
        ]
      : []),
    ...d.params,
  ];
}

/** The item fields an image rule reads: its pixel size, 16 bits each (the bounding-box datasets' meta). */
const IMAGE_FIELDS: ItemField[] = [
  { name: "width", bits: 16, from: "image.width", read: true },
  { name: "height", bits: 16, from: "image.height", read: true },
];

/** The item fields of a description (image rules: width and height), and the ones the circuit reads. */
export function itemFieldsOf(d: RuleDescription): { all: ItemField[]; read: ItemField[] } {
  const all = d.items.kind === "image" ? IMAGE_FIELDS : d.items.fields;
  return { all, read: all.filter((f) => f.read) };
}
