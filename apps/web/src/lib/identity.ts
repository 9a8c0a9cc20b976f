"use client";

import { Identity, parseIdentityKey } from "@zklabel/core/identity";
import { useCallback, useEffect, useState } from "react";

/** Where the worker's anonymous identity lives in this browser. */
export const IDENTITY_STORAGE_KEY = "zklabel.identity.v1";

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
