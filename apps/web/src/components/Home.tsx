"use client";

import Link from "next/link";
import { WorkTasks } from "./work/WorkTasks";

/** The landing page: the three roles, then the open tasks. */
export function Home() {
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Labeled data with a proof behind every label</h1>
        <p className="muted">
          Requesters post funded labeling jobs. Workers label in the browser and prove there, in zero knowledge, that
          their labels follow the job's rules; the escrow pays for every verified batch. Nobody but the requester sees
          the data or the labels, and nobody learns who labeled what.
        </p>
      </section>
      <div className="roles">
        <Link className="role card" href="/work" data-testid="role-worker">
          <h2>Label and earn</h2>
          <p className="muted small">An anonymous identity, a batch, your labels, a proof. Paid per item.</p>
        </Link>
        <Link className="role card" href="/requester/new" data-testid="role-requester">
          <h2>Post a task</h2>
          <p className="muted small">Upload a dataset to your vault, set the rules and the reward, fund it once.</p>
        </Link>
        <Link className="role card" href="/audit" data-testid="role-auditor">
          <h2>Audit</h2>
          <p className="muted small">Every task, batch and proof on-chain, verifiable in your browser. No wallet.</p>
        </Link>
      </div>
      <WorkTasks />
    </>
  );
}
