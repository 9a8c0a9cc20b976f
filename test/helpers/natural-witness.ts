/** The natural witness (assertions disabled) lives in the rule authoring kit (packages/rulekit/src/natural-witness.ts), which `zklabel rule test` runs too. */
export * from "@zklabel/rulekit/natural-witness";
