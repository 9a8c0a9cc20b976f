"use client";
/** Time as people read it: a clock that ticks, durations, "in 3 h" / "5 min ago", dates. */
import { useEffect, useState } from "react";

/** The current time in milliseconds, refreshed every `ms` while `active`. */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}

/** Seconds as "2 d 3 h", "1 h 20 min", "5 min", "40 s" (0 gives "none"). */
export function seconds(s: number): string {
  if (s <= 0) return "none";
  if (s >= 86400) return `${Math.floor(s / 86400)} d${s % 86400 >= 3600 ? ` ${Math.floor((s % 86400) / 3600)} h` : ""}`;
  if (s >= 3600) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  if (s >= 60) return `${Math.floor(s / 60)} min`;
  return `${s} s`;
}

/** "in 3 h 20 min" / "in 12 min" / "40 s ago" until (positive) or since a unix time. */
export function timeLeft(unixSeconds: bigint, nowMs = Date.now()): string {
  const s = Math.round(Number(unixSeconds) - nowMs / 1000);
  const a = Math.abs(s);
  const text =
    a >= 86400
      ? `${Math.floor(a / 86400)} d ${Math.floor((a % 86400) / 3600)} h`
      : a >= 3600
        ? `${Math.floor(a / 3600)} h ${Math.floor((a % 3600) / 60)} min`
        : a >= 60
          ? `${Math.floor(a / 60)} min`
          : `${a} s`;
  return s >= 0 ? `in ${text}` : `${text} ago`;
}

/** Unix seconds as a local date and time. */
export const dateTime = (unix: number | bigint): string =>
  new Date(Number(unix) * 1000).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
