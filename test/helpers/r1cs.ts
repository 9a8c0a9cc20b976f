/** The R1CS evaluator and mutation check live in the rule authoring kit (packages/rulekit/src/r1cs.ts), which `zklabel rule test` runs too. */
export * from "@zklabel/rulekit/r1cs";
