/** @zklabel/sdk in Node: the browser API plus datasets from folders, JSONL and CSV files. */
export * from "./dataset-fs.ts";
export * from "./index.browser.ts";
