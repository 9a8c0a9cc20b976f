/** The outcome of the last transaction: what it did, or why it failed. */
export function TxOutcome({ done, error }: { done: string | null; error: string | null }) {
  return (
    <>
      {done && (
        <p className="ok small" role="status">
          {done}
        </p>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
