"use client";

import type { Identity } from "@zklabel/core/identity";
import { useState } from "react";
import type { Address, Hash } from "viem";
import { useZkLabel } from "@/lib/client";
import { messageFor } from "@/lib/errors";
import { shortAddress } from "@/lib/format";
import type { useWorkerIdentity } from "@/lib/identity";
import type { RelayerState } from "@/lib/relayer";

const short = (x: bigint) => {
  const s = x.toString();
  return s.length > 14 ? `${s.slice(0, 6)}…${s.slice(-6)}` : s;
};

/**
 * The worker's anonymous identity (create, export, import) and its membership
 * in the task's worker group (join the open group with one transaction: the relayer's, which
 * pays the gas so no address of the worker's is linked to the commitment, or the wallet's).
 */
export function IdentityPanel(props: {
  id: ReturnType<typeof useWorkerIdentity>;
  groupId: bigint;
  account: Address | undefined;
  member: boolean | undefined;
  groupSize: number | undefined;
  groupError: string | undefined;
  relayer: RelayerState;
  onJoined(): Promise<void>;
}) {
  const { identity, loadError, create, importKey, forget } = props.id;
  const { withWallet } = useZkLabel();
  const [importing, setImporting] = useState(false);
  const [importText, setImportText] = useState("");
  const [importError, setImportError] = useState<string | null>(null);
  const [showKey, setShowKey] = useState(false);
  const [join, setJoin] = useState<{ busy: boolean; error?: string; hash?: Hash; via?: "relayer" | "wallet" }>({
    busy: false,
  });
  const open = props.groupId === 0n;
  const relayer = props.relayer.client;
  // While the relayer's info is on its way, its button stands (disabled), so the default is never the wallet.
  const sponsored = relayer !== undefined && (props.relayer.loading || props.relayer.info?.sponsorsJoins === true);

  async function joinGroup(id: Identity, via: "relayer" | "wallet") {
    if (via === "wallet" ? !props.account : !relayer) return;
    setJoin({ busy: true });
    try {
      const hash =
        via === "relayer" && relayer
          ? ((await relayer.join(id.commitment)).txHash as Hash)
          : await (await withWallet()).joinOpenGroup(id.commitment);
      await props.onJoined();
      setJoin({ busy: false, hash, via });
    } catch (e) {
      setJoin({ busy: false, error: messageFor(e) });
    }
  }

  function doImport() {
    try {
      importKey(importText);
      setImporting(false);
      setImportText("");
      setImportError(null);
    } catch (e) {
      setImportError(messageFor(e));
    }
  }

  const importForm = (
    <div className="import-identity">
      <label className="field">
        <span>Exported identity key</span>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          data-testid="identity-import-input"
          value={importText}
          onChange={(e) => setImportText(e.target.value)}
        />
      </label>
      <div className="row">
        <button type="button" className="btn small" data-testid="identity-import-confirm" onClick={doImport}>
          Import
        </button>
        <button type="button" className="btn ghost small" onClick={() => setImporting(false)}>
          Back
        </button>
      </div>
      {importError && (
        <p className="error small" role="alert" data-testid="identity-import-error">
          {importError}
        </p>
      )}
    </div>
  );

  return (
    <section className="card identity" aria-labelledby="identity-heading">
      <h2 id="identity-heading">Anonymous identity</h2>
      {loadError && (
        <p className="error small" role="alert">
          {loadError}
        </p>
      )}
      {identity === undefined ? (
        <p className="muted small">Loading…</p>
      ) : identity === null ? (
        <>
          <p className="small">
            Your proofs show that <em>some</em> member of the task's worker group labeled a batch, never which one. The
            identity is a secret key kept in this browser.
          </p>
          {importing ? (
            importForm
          ) : (
            <div className="row">
              <button type="button" className="btn primary small" data-testid="identity-create" onClick={create}>
                Create identity
              </button>
              <button
                type="button"
                className="btn small"
                data-testid="identity-import"
                onClick={() => setImporting(true)}
              >
                Import…
              </button>
            </div>
          )}
        </>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Commitment (public)</dt>
              <dd>
                <code data-testid="identity-commitment" data-commitment={identity.commitment.toString()}>
                  {short(identity.commitment)}
                </code>
              </dd>
            </div>
            <div>
              <dt>Worker group</dt>
              <dd data-testid="group-status" data-member={props.member === undefined ? "" : String(props.member)}>
                {props.groupError
                  ? "could not be read"
                  : props.member === undefined
                    ? "…"
                    : `${open ? "Open group" : `Group ${props.groupId}`} · ${props.groupSize} member${props.groupSize === 1 ? "" : "s"} · ${props.member ? "you are a member" : "you are not a member"}`}
              </dd>
            </div>
          </dl>
          {props.groupError && (
            <p className="error small" role="alert">
              {props.groupError}
            </p>
          )}
          {props.member === false &&
            (open ? (
              <>
                {sponsored ? (
                  <button
                    type="button"
                    className="btn primary wide"
                    data-testid="join-group"
                    data-via="relayer"
                    disabled={join.busy || props.relayer.loading}
                    onClick={() => void joinGroup(identity, "relayer")}
                  >
                    {join.busy
                      ? "Joining…"
                      : props.relayer.loading
                        ? "Asking the relayer…"
                        : "Join the open worker group (the relayer pays the gas)"}
                  </button>
                ) : (
                  props.relayer.configured &&
                  !props.relayer.loading && (
                    <p className="small" data-testid="join-relayer-unavailable">
                      {props.relayer.error
                        ? `The relayer cannot be reached (${props.relayer.error}), so it cannot add you: join from your wallet instead.`
                        : "The relayer does not sponsor joins: join from your wallet instead."}
                    </p>
                  )
                )}
                <button
                  type="button"
                  className={`btn wide ${sponsored ? "ghost small" : "primary"}`}
                  data-testid={sponsored ? "join-group-wallet" : "join-group"}
                  data-via="wallet"
                  disabled={join.busy || !props.account}
                  onClick={() => void joinGroup(identity, "wallet")}
                >
                  {join.busy && !sponsored
                    ? "Joining…"
                    : props.account
                      ? sponsored
                        ? "Join from my wallet instead (links your address to this commitment)"
                        : "Join the open worker group"
                      : "Connect a wallet to join from it"}
                </button>
              </>
            ) : (
              <p className="small" data-testid="curated-group-note">
                This task is for a curated group: send your commitment to the group's admin and ask to be added. The
                admin decides who may work on it, its own identities included.
              </p>
            ))}
          {join.hash && props.member && (
            <p className="ok small" data-testid="joined" data-via={join.via}>
              Joined (tx <code title={join.hash}>{shortAddress(join.hash)}</code>
              {join.via === "relayer" ? ", sent by the relayer" : ""}).{" "}
              {join.via === "relayer"
                ? "No address of yours is linked to your commitment, and proofs do not say which member made them."
                : "Proofs do not say which member made them, but your wallet is now linked to your commitment: submit through the relayer, or from another account, to keep your batches unlinkable from it."}
            </p>
          )}
          {join.error && (
            <p className="error small" role="alert" data-testid="join-error">
              {join.error}
            </p>
          )}
          <details className="identity-key" onToggle={(e) => setShowKey((e.target as HTMLDetailsElement).open)}>
            <summary>Back up or replace</summary>
            <p className="warn small">
              Keep a copy of this key somewhere safe. If this browser's storage is cleared without it, you lose this
              identity and the work it has not claimed yet: its group membership (join again, or ask a curated group's
              admin to add you again) and any labeled batches not yet proven and submitted. Batches already submitted
              through the relayer are paid to addresses derived from the identity (the key recovers them); batches
              submitted from a wallet are paid to that wallet. Anyone with the key can prove as you.
            </p>
            {showKey && (
              <label className="field">
                <span>Identity key (secret)</span>
                <input
                  readOnly
                  data-testid="identity-export"
                  value={identity.export()}
                  onFocus={(e) => e.target.select()}
                />
              </label>
            )}
            {importing ? (
              importForm
            ) : (
              <div className="row">
                <button type="button" className="btn small" onClick={() => setImporting(true)}>
                  Import another…
                </button>
                <button
                  type="button"
                  className="btn ghost small"
                  onClick={() => {
                    if (window.confirm("Forget this identity? Without a backup of its key it is gone for good."))
                      forget();
                  }}
                >
                  Forget
                </button>
              </div>
            )}
          </details>
        </>
      )}
    </section>
  );
}
