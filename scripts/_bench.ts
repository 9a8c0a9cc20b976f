import { writeDevPtau } from "/work/main/scripts/circuits/dev-ptau.ts";

const p = Number(process.argv[2]);
const t = Date.now();
await writeDevPtau(`/tmp/p${p}.ptau`, p, (m) => console.log(((Date.now() - t) / 1000).toFixed(1), m));
console.log("total", (Date.now() - t) / 1000);
