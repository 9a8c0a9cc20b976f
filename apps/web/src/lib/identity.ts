"use client";

import { Identity } from "@zklabel/core/identity";
import { useCallback, useEffect, useState } from "react";

/** Where the worker's anonymous identity lives in this browser. */
export const IDENTITY_STORAGE_KEY = "zklabel.identity.v1";

/** Parses an exported identity key, or says what is wrong with it. */
export function parseIdentityKey(text: string): Identity {
  const key = text.trim();
  if (key === "") throw new Error("Paste the identity key you exported earlier.");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) {
    throw new Error(
      "That is not an exported identity key: it should be one line of base64 text (letters, digits, + and /).",
    );
  }
  try {
    return Identity.import(key);
  } catch (e) {
    throw new Error(`That identity key cannot be read (${e instanceof Error ? e.message : String(e)}).`);
  }
}

/**
 * The worker's Semaphore identity, kept in localStorage. It is created only on
 * request, and replaced only through importKey or forget, so it is never lost silently.
 */
export function useWorkerIdentity() {
  const [identity, setIdentity] = useState<Identity | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    try {
      const raw = localStorage.getItem(IDENTITY_STORAGE_KEY);
      setIdentity(raw ? parseIdentityKey(raw) : null);
    } catch (e) {
      // Keep the damaged value in storage: the worker may still recover it by hand.
      setLoadError(
        `The identity saved in this browser is damaged (${e instanceof Error ? e.message : String(e)}). Import your exported key, or create a new identity.`,
      );
      setIdentity(null);
    }
  }, []);

  const save = useCallback((id: Identity) => {
    localStorage.setItem(IDENTITY_STORAGE_KEY, id.export());
    setLoadError(null);
    setIdentity(id);
  }, []);

  return {
    /** undefined while loading, null when this browser has none. */
    identity,
    loadError,
    create: useCallback(() => save(new Identity()), [save]),
    importKey: useCallback((text: string) => save(parseIdentityKey(text)), [save]),
    forget: useCallback(() => {
      localStorage.removeItem(IDENTITY_STORAGE_KEY);
      setIdentity(null);
    }, []),
  };
}
