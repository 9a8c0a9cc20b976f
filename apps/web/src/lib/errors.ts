/**
 * Failures as the app words them. The SDK describes every failure (describeError) and gives it a
 * stable code (errorCode); the app picks its own words by that code only where it has something
 * more useful to say, and never by class or by the message's text (a Web Worker's errors arrive
 * as copies of other classes).
 */
import { describeError, type ErrorCode, errorCode } from "@zklabel/sdk/errors";

/** A message as a sentence: capital first letter, closing punctuation. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === "") return "Something failed without saying why: try again.";
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?)\]]$/.test(s) ? s : `${s}.`;
}

/** What the app says for codes whose SDK message is written for a developer, not for the person at the screen. */
const WORDS: Partial<Record<ErrorCode, string>> = {
  wallet_rejected: "You rejected the request in your wallet: nothing was sent.",
  no_wallet: "Connect a wallet first (top right), then try again.",
};

/** Any failure (wallet, contract, vault, dataset, prover thread) as one sentence a person can act on. */
export function messageFor(e: unknown): string {
  const d = describeError(e);
  return WORDS[errorCode(e) ?? d.code] ?? sentence(d.message);
}

export { errorCode };
