import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Identity } from "../src/identity.ts";
import { payeeAccount, payeeAddress, payeeKey } from "../src/payee.ts";

const escrow = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
const scope = { chainId: 31337n, escrow, taskId: 1n, batchIndex: 0 };

describe("payees derived from the identity", () => {
  const id = new Identity("payee test");
  it("are the same from the same identity and scope (nothing else needs a backup)", () => {
    assert.equal(payeeAddress(new Identity("payee test"), scope), payeeAddress(id, scope));
    assert.match(payeeKey(id, scope), /^0x[0-9a-f]{64}$/);
  });
  it("differ per batch, task, escrow, chain and identity", () => {
    const base = payeeAddress(id, scope);
    const others = [
      payeeAddress(id, { ...scope, batchIndex: 1 }),
      payeeAddress(id, { ...scope, batchIndex: undefined }),
      payeeAddress(id, { ...scope, taskId: 2n }),
      payeeAddress(id, { ...scope, escrow: "0x0000000000000000000000000000000000000001" }),
      payeeAddress(id, { ...scope, chainId: 1n }),
      payeeAddress(new Identity("another worker"), scope),
    ];
    assert.equal(new Set([base, ...others]).size, others.length + 1);
  });
  it("sign as their address", async () => {
    const a = payeeAccount(id, scope);
    const sig = await a.signMessage({ message: "hello" });
    const { verifyMessage } = await import("viem");
    assert.ok(await verifyMessage({ address: a.address, message: "hello", signature: sig }));
  });
});
