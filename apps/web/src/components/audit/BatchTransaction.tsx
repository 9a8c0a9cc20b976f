"use client";
/** The transaction that submitted a batch: hash, block, sender, gas and fee; then the proof it carried. */
import { useQuery } from "@tanstack/react-query";
import { describeError } from "@zklabel/sdk/errors";
import type { DecodedLog } from "@zklabel/sdk/events";
import { formatEther, formatGwei, type Hash } from "viem";
import { usePublicClient } from "wagmi";
import { proofFromCalldata, type SubmittedProof } from "@/lib/audit";
import { useDeployment } from "@/lib/deployment";
import type { BatchView, TaskView } from "@/lib/tasks";
import { dateTime } from "@/lib/time";
import { CopyButton, Fact, Hex, Loading } from "./Common";
import { ProofPanel } from "./ProofPanel";

/** The submission transaction's facts and, below them, the proof taken from its calldata. */
export function BatchTransaction({
  task,
  batch,
  submitted,
}: {
  task: TaskView;
  batch: BatchView;
  submitted: DecodedLog;
}) {
  const d = useDeployment();
  const client = usePublicClient({ chainId: d.chainId });
  const hash = submitted.transactionHash as Hash;
  const q = useQuery({
    queryKey: ["audit-tx", d.chainId, hash],
    enabled: client !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      if (!client) throw new Error("no connection to the chain");
      const [tx, receipt, block] = await Promise.all([
        client.getTransaction({ hash }),
        client.getTransactionReceipt({ hash }),
        client.getBlock({ blockNumber: submitted.blockNumber }),
      ]);
      let decoded: SubmittedProof | undefined;
      let decodeProblem: string | undefined;
      try {
        decoded = proofFromCalldata(tx.input, BigInt(batch.index));
      } catch (e) {
        decodeProblem = describeError(e).message;
      }
      return { tx, receipt, time: Number(block.timestamp), decoded, decodeProblem };
    },
  });

  return (
    <>
      <section className="card" aria-labelledby="audit-tx-title">
        <h2 id="audit-tx-title">Transaction</h2>
        <dl className="facts audit-facts">
          <Fact term="Hash" wide>
            <span className="audit-hex">
              <code className="audit-full" data-testid="batch-tx">
                {hash}
              </code>
              <CopyButton value={hash} label="transaction hash" />
            </span>
          </Fact>
          <Fact term="Block">{submitted.blockNumber.toString()}</Fact>
          {q.data && (
            <>
              <Fact term="Time">{dateTime(q.data.time)}</Fact>
              <Fact term="From">
                <Hex value={q.data.tx.from} keep={6} copy label="sender address" />
              </Fact>
              <Fact term="Gas used">
                <span data-testid="batch-gas" data-gas={q.data.receipt.gasUsed.toString()}>
                  {q.data.receipt.gasUsed.toLocaleString("en-US")}
                </span>
              </Fact>
              <Fact term="Gas price">{formatGwei(q.data.receipt.effectiveGasPrice)} gwei</Fact>
              <Fact term="Fee">{formatEther(q.data.receipt.gasUsed * q.data.receipt.effectiveGasPrice)} ETH</Fact>
              <Fact term="Call">
                {q.data.decoded?.functionName ?? "unknown"}
                {q.data.decoded && q.data.decoded.batchesInCall > 1 && (
                  <span className="muted small"> ({q.data.decoded.batchesInCall} batches)</span>
                )}
              </Fact>
            </>
          )}
        </dl>
        {q.data?.decoded && q.data.decoded.batchesInCall > 1 && (
          <p className="small muted">
            This transaction submitted {q.data.decoded.batchesInCall} batches verified together: the gas and fee are for
            all of them (about {(q.data.receipt.gasUsed / BigInt(q.data.decoded.batchesInCall)).toLocaleString("en-US")}{" "}
            per batch).
          </p>
        )}
        {q.isLoading && <Loading what="the transaction" />}
        {q.error && (
          <div role="alert">
            <p className="error">
              The transaction could not be read: {describeError(q.error).message}. Check that the chain is running, then
              try again.
            </p>
            <button type="button" className="btn small" onClick={() => q.refetch()}>
              Try again
            </button>
          </div>
        )}
      </section>
      {q.data?.decodeProblem && (
        <section className="card" aria-labelledby="audit-proof-title">
          <h2 id="audit-proof-title">Proof</h2>
          <p className="error" role="alert">
            The proof could not be taken from the transaction: {q.data.decodeProblem}.
          </p>
        </section>
      )}
      {q.data?.decoded && <ProofPanel task={task} submitted={submitted} proof={q.data.decoded} />}
    </>
  );
}
