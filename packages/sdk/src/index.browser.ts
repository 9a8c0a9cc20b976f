/**
 * @zklabel/sdk for the browser (the "browser" export condition): everything but the Node-only
 * file readers. Same API as in Node: proving, vault, client, events, specs, datasets.
 */
export * from "./abi-escrow.ts";
export * from "./abi-groups.ts";
export * from "./audit.ts";
export * from "./client.ts";
export * from "./dataset.ts";
export * from "./errors.ts";
export * from "./ethers.ts";
export * from "./events.ts";
export * from "./export.ts";
export * from "./gold.ts";
export * from "./metadata.ts";
export * from "./open.ts";
export * from "./post.ts";
export * from "./progress.ts";
export * from "./prove.ts";
export * from "./spec.ts";
export * from "./task-info.ts";
export * from "./vault.ts";
export * from "./verified-dataset.ts";
export * from "./withdraw.ts";
