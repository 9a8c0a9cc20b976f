"use client";
/**
 * /requester/new: the post-a-task page, composed of its sections (task, rule, dataset, gold,
 * payment), the cost summary and the post's progress. The form's values and checks are
 * lib/post-form; posting is the SDK's staged postTask, run by lib/post-run.
 */
import { ruleByName, ruleCircuit } from "@zklabel/core/rules";
import { buildDataset, type Manifest } from "@zklabel/sdk/dataset";
import Link from "next/link";
import { useMemo, useState } from "react";
import { type Address, erc20Abi, parseUnits, zeroAddress } from "viem";
import { useBalance, useReadContract } from "wagmi";
import { screensFor, startParams } from "@/components/work/labelers";
import { mergeFiles, type PickedFile, readFiles, refusedFilesProblem } from "@/lib/dataset-files";
import { deployedRule, useDeployment } from "@/lib/deployment";
import { messageFor } from "@/lib/errors";
import {
  emptyForm,
  type FieldKey,
  goldByClass,
  type PostForm,
  parseClassLines,
  validatePostForm,
} from "@/lib/post-form";
import { type PostStep, usePostRun } from "@/lib/post-run";
import { useTokenInfo } from "@/lib/tokens";
import { useWalletState } from "@/lib/wallet";
import { CostSummary } from "./post/CostSummary";
import { CreatedPanel } from "./post/CreatedPanel";
import { DatasetSection } from "./post/DatasetSection";
import { FIELD_IDS, FIELD_NAMES, type FieldErrors } from "./post/fields";
import { GoldSection } from "./post/GoldSection";
import { PaymentSection } from "./post/PaymentSection";
import { PostProgress } from "./post/PostProgress";
import { POSTABLE_RULES, RuleSection } from "./post/RuleSection";
import { TaskSection } from "./post/TaskSection";
import { WalletNotice } from "./WalletNotice";
import "./requester.css";

export function PostTaskPage() {
  const d = useDeployment();
  const { address, problem } = useWalletState(d);
  const [form, setForm] = useState<PostForm>(() => emptyForm(d.vaultUrl, POSTABLE_RULES[0].name, startParams()));
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [reading, setReading] = useState(false);
  const [fileNotes, setFileNotes] = useState<string | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const posting = usePostRun();
  const running = posting.run?.status === "running";

  const set = <K extends keyof PostForm>(k: K, v: PostForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const rule = ruleByName(form.rule);
  const screens = screensFor(rule);
  const tokenAddress = form.token === "eth" ? zeroAddress : (d.testToken as Address);
  const token = useTokenInfo(tokenAddress, d.chainId);
  const classes = useMemo(() => parseClassLines(form.classesText), [form.classesText]);
  const verifier = deployedRule(d, rule);
  const circuit = ruleCircuit(rule);
  const batchSize = circuit.params.N;
  const depth = circuit.params.DEPTH;

  const dataset = useMemo((): { manifest: Manifest } | { error: string } | null => {
    if (files.length === 0) return null;
    const refused = refusedFilesProblem(files);
    if (refused) return { error: refused };
    try {
      return buildDataset(
        files.map((f) => ({ name: f.name, bytes: f.bytes, type: f.type })),
        { depth, batchSize, kind: rule.datasetKind },
      );
    } catch (e) {
      return { error: messageFor(e) };
    }
  }, [files, depth, batchSize, rule]);
  const manifest = dataset && "manifest" in dataset ? dataset.manifest : null;

  const paramLabels = useMemo(
    () => Object.fromEntries(Object.entries(screens.post.params).map(([name, p]) => [name, p.label])),
    [screens],
  );
  const validation = validatePostForm(form, {
    fileNames: files.map((f) => f.name),
    datasetProblem: dataset && "error" in dataset ? dataset.error : null,
    token,
    hasVerifier: verifier !== undefined,
    paramLabels,
    now: Math.floor(Date.now() / 1000),
  });
  const fieldErrors: FieldErrors = {
    errors: showErrors ? validation.errors : {},
    idOf: (k: FieldKey) =>
      k.startsWith("param:")
        ? (screens.post.params[k.slice(6)]?.id ?? `post-${k.replace(":", "-")}`)
        : FIELD_IDS[k as keyof typeof FIELD_IDS],
  };

  let rewardPerItem: bigint | null = null;
  try {
    if (token && /^\d+(\.\d+)?$/.test(form.reward.trim()))
      rewardPerItem = parseUnits(form.reward.trim(), token.decimals);
  } catch {}
  const total = rewardPerItem !== null && manifest ? rewardPerItem * BigInt(manifest.count) : null;

  const ethBalance = useBalance({ address, chainId: d.chainId, query: { enabled: !!address } });
  const tokenBalance = useReadContract({
    address: d.testToken as Address,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [address ?? zeroAddress],
    chainId: d.chainId,
    query: { enabled: !!address && form.token === "test" },
  });
  const walletFunds = form.token === "eth" ? ethBalance.data?.value : tokenBalance.data;

  async function addFiles(list: File[]) {
    setReading(true);
    setFileNotes(null);
    try {
      const read = await readFiles(list);
      setFiles((current) => {
        const merged = mergeFiles(current, read);
        if (merged.refused.length)
          setFileNotes(
            `Not added: ${merged.refused.slice(0, 5).join(", ")}${merged.refused.length > 5 ? ` and ${merged.refused.length - 5} more` : ""} (a file with the same name is already in the list; rename one of them).`,
          );
        return merged.files;
      });
    } catch (e) {
      setFileNotes(`The files could not be read: ${messageFor(e)}`);
    } finally {
      setReading(false);
    }
  }

  async function post() {
    setShowErrors(true);
    const checked = validation.checked;
    if (!checked || !manifest) {
      posting.refuse();
      const first = Object.keys(validation.errors)[0] as FieldKey | undefined;
      if (first) document.getElementById(fieldErrors.idOf(first))?.focus();
      return;
    }
    if (!address || problem) {
      posting.refuse(
        problem === "wrong-chain"
          ? `Your wallet is on another network: switch it to chain ${d.chainId}, then post again.`
          : "Connect a wallet first (top right), then post again.",
      );
      return;
    }
    await posting.post({
      account: address,
      checked,
      manifest,
      files,
      vaultUrl: form.vaultUrl.trim(),
      vaultToken: form.vaultToken.trim(),
    });
    void ethBalance.refetch();
    void tokenBalance.refetch();
  }

  function reset() {
    setForm(emptyForm(d.vaultUrl, POSTABLE_RULES[0].name, startParams()));
    setFiles([]);
    setShowErrors(false);
    posting.reset();
  }

  if (posting.created) return <CreatedPanel created={posting.created} upload={posting.upload} onAnother={reset} />;

  const steps: PostStep[] = [
    "check",
    "key",
    ...(form.goldOn && rule.gold ? (["gold"] as const) : []),
    "upload",
    ...(form.token === "test" ? (["approve"] as const) : []),
    "create",
  ];
  const invalidKeys = Object.keys(validation.errors) as FieldKey[];
  const fieldName = (k: FieldKey) =>
    k.startsWith("param:") ? (paramLabels[k.slice(6)] ?? k.slice(6)) : FIELD_NAMES[k as keyof typeof FIELD_NAMES];
  const failed = posting.run?.status === "failed";
  return (
    <>
      <div className="section-head rq-page-head">
        <div>
          <p className="eyebrow">Requester</p>
          <h1>Post a task</h1>
        </div>
        <Link className="btn ghost" href="/requester">
          My tasks
        </Link>
      </div>
      <WalletNotice problem={problem} what="post a task" />
      <form
        className="rq-post"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!running) void post();
        }}
      >
        <div className="rq-post-main">
          <TaskSection form={form} f={fieldErrors} disabled={running} set={set} />
          <RuleSection
            form={form}
            rule={rule}
            f={fieldErrors}
            disabled={running}
            deployed={(r) => deployedRule(d, r) !== undefined}
            set={set}
          />
          <DatasetSection
            form={form}
            f={fieldErrors}
            disabled={running}
            files={files}
            reading={reading}
            notes={fileNotes}
            manifest={manifest}
            batchSize={batchSize}
            itemsHint={screens.post.items}
            classes={classes}
            rule={rule}
            onAdd={(l) => void addFiles(l)}
            onRemove={(name) => setFiles((fs) => (name === null ? [] : fs.filter((f) => f.name !== name)))}
            set={set}
          />
          <GoldSection
            form={form}
            f={fieldErrors}
            disabled={running}
            set={set}
            rule={rule}
            itemCount={manifest?.count ?? null}
            batchSize={batchSize}
            goldItems={files.flatMap((file, i) =>
              goldByClass(rule) ? (form.gold[file.name] ? [i] : []) : form.goldEntries[file.name] ? [i] : [],
            )}
          />
          <PaymentSection
            form={form}
            f={fieldErrors}
            disabled={running}
            token={token}
            testToken={d.testToken}
            set={set}
          />
        </div>

        <aside className="rq-post-side">
          <section className="card" aria-labelledby="post-summary-heading">
            <h2 id="post-summary-heading">Cost summary</h2>
            <CostSummary
              items={manifest?.count ?? null}
              rewardPerItem={rewardPerItem}
              total={total}
              token={token}
              tokenTask={form.token === "test"}
              goldOn={form.goldOn && rule.gold !== undefined}
              verifier={verifier}
              account={address}
              walletFunds={walletFunds}
              onMinted={() => void tokenBalance.refetch()}
            />
            <button type="submit" className="btn primary wide" data-testid="post-submit" disabled={running}>
              {running ? "Posting…" : failed && posting.run?.step !== "check" ? "Post again" : "Post task"}
            </button>
            <PostProgress
              run={posting.run}
              steps={steps}
              upload={posting.upload}
              invalidFields={
                invalidKeys.length > 0
                  ? `Fix ${invalidKeys.length === 1 ? "this field" : `these ${invalidKeys.length} fields`} first: ${invalidKeys.map(fieldName).join(", ")}.`
                  : null
              }
              onStopUpload={posting.stopUpload}
            />
          </section>
        </aside>
      </form>
    </>
  );
}
