/** snarkjs' and circom's binary container format: one reader, in the rule authoring kit (packages/rulekit/src/binfile.ts). */
export * from "@zklabel/rulekit/binfile";
