/**
 * Entity spans (rule 5): each text gets one entity span [start, end) of a kind, inside the text and at least the minimum length.
 *
 * Made with the rule authoring kit (`zklabel rule new spans`, docs/writing-rules.md). The kit derives
 * everything from the description: parameters and their slots, label packing, item leaves, the circuit
 * input, export. Yours are `check`, the TypeScript twin of SpansItem in circuits/spans.circom,
 * and `sample`; `zklabel rule test spans` checks them against the circuit and the examples in
 * circuits/examples/spans/.
 */
import { defineKitRule, type KitIssue } from "./kit.ts";

export const spansRule = defineKitRule(
  {
    name: "spans",
    id: 5,
    title: "Entity spans",
    noun: "entity-span",
    summary: "each text gets one entity span [start, end) of a kind, inside the text and at least the minimum length",
    items: {
      kind: "fields",
      fields: [
        {
          name: "length",
          bits: 16,
          from: "text.length",
        },
      ],
    },
    label: [
      {
        name: "start",
        type: "number",
        bits: 16,
        title: "Start (character)",
      },
      {
        name: "end",
        type: "number",
        bits: 16,
        title: "End (character, exclusive)",
      },
      {
        name: "kind",
        type: "enum",
        values: ["person", "place", "organisation", "other"],
        title: "Kind",
      },
    ],
    params: [
      {
        name: "minLength",
        bits: 16,
        title: "Minimum span length (characters)",
      },
    ],
    batch: 32,
    budget: {
      perLabel: 400,
    },
  },
  {
    check: ({ label, item, params }) => {
      const issues: KitIssue[] = [];
      if (label.end > item.length)
        issues.push({
          code: "past_text",
          end: label.end,
          length: item.length,
          message: `the span ends at ${label.end}, past the text's ${item.length} characters`,
        });
      if (label.start + params.minLength > label.end)
        issues.push({
          code: "too_short",
          start: label.start,
          end: label.end,
          minLength: params.minLength,
          message:
            label.end < label.start
              ? `the span ends (${label.end}) before it starts (${label.start})`
              : `the span ${label.start}..${label.end} is ${label.end - label.start} characters, under the minimum ${params.minLength}`,
        });
      return issues;
    },
    // Texts of 40 to 79 characters, each with a span of 3 to 10 characters from character 2.
    sample: (i) => ({
      item: { length: 40 + (i % 40) },
      label: { start: 2, end: 5 + (i % 8), kind: i % 4 },
      params: { minLength: 3 },
    }),
  },
);
