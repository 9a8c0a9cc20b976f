"use client";
/** The facts of one task: commitments, rule and its parameters, verifiers, gold settings, money and deadline. */
import { describeError } from "@zklabel/sdk/errors";
import { createdVerifiers, hex, ruleParamFacts } from "@/lib/audit";
import { useEscrowTask } from "@/lib/escrow";
import { ruleTitle, STATUS_TITLES, type TaskView, taskStatus } from "@/lib/tasks";
import { dateTime, seconds, timeLeft } from "@/lib/time";
import { Amount, Fact, Hex } from "./Common";
import { useNowSeconds } from "./hooks";

/** Everything the chain says about a task, the escrow's live balances included. */
export function TaskFacts({ task: t }: { task: TaskView }) {
  const live = useEscrowTask(t.id);
  const now = useNowSeconds();
  const s = createdVerifiers(t);
  const g = live.data;
  const verifier = g?.rule.verifier ?? s.verifier;
  const batchVerifier = g?.rule.batchVerifier ?? s.batchVerifier;
  const deadline = t.deadline;
  const refunded = t.events.reduce(
    (sum, e) =>
      sum +
      (e.eventName === "TaskCancelled"
        ? (e.args.refunded as bigint)
        : e.eventName === "TaskRefunded"
          ? (e.args.amount as bigint)
          : 0n),
    0n,
  );
  return (
    <section className="card" aria-labelledby="audit-facts-title">
      <h2 id="audit-facts-title">What the chain commits to</h2>
      <dl className="facts audit-facts">
        <Fact term="Dataset root" wide>
          <Hex value={hex(t.info.datasetRoot)} keep={10} copy label="dataset root" />
        </Fact>
        <Fact term="Task hash" wide>
          <Hex value={hex(t.info.taskHash)} keep={10} copy label="task hash" />
        </Fact>
        <Fact term="Gold root" wide>
          {t.info.goldRoot === 0n ? (
            <span className="muted">none (no gold items: batches are verified at once)</span>
          ) : (
            <Hex value={hex(t.info.goldRoot)} keep={10} copy label="gold root" />
          )}
        </Fact>
      </dl>
      <h3 className="audit-subhead">Rule</h3>
      <RuleFacts task={t} />
      <dl className="facts audit-facts">
        <Fact term="Verifier">
          <Hex value={verifier} keep={6} copy label="verifier address" />
        </Fact>
        <Fact term="Batch verifier">
          {/^0x0+$/.test(batchVerifier) ? (
            <span className="muted">none</span>
          ) : (
            <Hex value={batchVerifier} keep={6} copy label="batch verifier address" />
          )}
        </Fact>
        <Fact term="Batch size">{t.info.batchSize} items</Fact>
        <Fact term="Tree depth">{t.info.datasetDepth}</Fact>
        <Fact term="Worker group">#{t.workerGroupId.toString()}</Fact>
        <Fact term="Min accuracy">{t.info.goldRoot === 0n ? "—" : `${t.minAccuracy}%`}</Fact>
        <Fact term="Challenge window">{seconds(t.challengeWindow)}</Fact>
      </dl>
      <h3 className="audit-subhead">Money and time</h3>
      <dl className="facts audit-facts">
        <Fact term="Reward per item">
          <Amount value={t.info.rewardPerItem} token={t.token} />
        </Fact>
        <Fact term="Funded">
          <Amount value={t.funded} token={t.token} />
        </Fact>
        <Fact term="Paid out">
          <Amount value={t.spent} token={t.token} />
        </Fact>
        <Fact term="Refunded">
          <Amount value={refunded} token={t.token} />
        </Fact>
        <Fact term="Balance (escrow)">
          {g ? <Amount value={g.balance} token={t.token} /> : live.error ? "unreadable" : "…"}
        </Fact>
        <Fact term="Reserved (pending)">
          {g ? <Amount value={g.reserved} token={t.token} /> : live.error ? "unreadable" : "…"}
        </Fact>
        <Fact term="Deadline">
          <time dateTime={new Date(Number(deadline) * 1000).toISOString()}>{dateTime(deadline)}</time>{" "}
          <span className="muted small">({timeLeft(deadline, now * 1000)})</span>
        </Fact>
        <Fact term="Status">
          <span className={`badge audit-status-${taskStatus(t, now)}`} title={STATUS_TITLES[taskStatus(t, now)]}>
            {taskStatus(t, now)}
          </span>
        </Fact>
        <Fact term="Requester">
          <Hex value={t.requester} keep={6} copy label="requester address" />
        </Fact>
      </dl>
      {live.error && (
        <p className="error" role="alert">
          The escrow&apos;s live balance could not be read ({describeError(live.error).message}); the other facts come
          from the task&apos;s events. Check that the chain is running.
        </p>
      )}
      {t.paramsProblem && (
        <p className="error" data-testid="params-problem">
          {t.paramsProblem}
        </p>
      )}
      {t.metadataProblem && (
        <p className="error">
          The task&apos;s metadata could not be read: {t.metadataProblem}. Its title, class names and vault are unknown.
        </p>
      )}
    </section>
  );
}

/** The rule's parameters by the names its module gives them (the four raw slots for a rule this app does not know). */
function RuleFacts({ task: t }: { task: TaskView }) {
  const p = t.info.ruleParams;
  const facts = t.rule ? ruleParamFacts(t.rule, p, t.metadata?.rule.classes) : undefined;
  return (
    <dl className="facts audit-facts">
      <Fact term="Type">
        {ruleTitle(t)} (rule id {t.info.ruleId})
      </Fact>
      {facts
        ? facts.params.map((x) => (
            <Fact key={x.name} term={x.name}>
              <code>{x.value}</code>
            </Fact>
          ))
        : p.map((v, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the slot number is the slot's identity
            <Fact key={i} term={`p${i}`}>
              <code>{v.toString()}</code>
            </Fact>
          ))}
      {facts && (
        <Fact term="Classes workers may use" wide>
          {facts.allowed.length ? facts.allowed.join(", ") : <span className="bad">none</span>}
        </Fact>
      )}
    </dl>
  );
}
