"use client";

import { expectedRuleEntry, sameRuleEntry } from "@zklabel/core/deployment";
import { requesterKeyFromSignature, requesterKeyMessage } from "@zklabel/core/identity";
import { RULE_IDS } from "@zklabel/core/task";
import { escrowAbi } from "@zklabel/sdk/abi-escrow";
import { groupsAbi } from "@zklabel/sdk/abi-groups";
import { buildDataset, kindOfRule, type Manifest } from "@zklabel/sdk/dataset";
import { buildGold, type GoldOpenings } from "@zklabel/sdk/gold";
import { encodeTaskMetadata } from "@zklabel/sdk/metadata";
import { VaultClient } from "@zklabel/sdk/vault";
import Link from "next/link";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { type Address, erc20Abi, type Hash, parseUnits, zeroAddress } from "viem";
import { useBalance, useConfig, useReadContract } from "wagmi";
import { readContract, signMessage, simulateContract, writeContract } from "wagmi/actions";
import { useDeployment } from "@/components/AppShell";
import { shortAddress } from "@/lib/format";
import {
  type CheckedForm,
  confirmTx,
  DEV_CHAIN_ID,
  downloadText,
  emptyForm,
  errorText,
  type FieldKey,
  formatAmount,
  MAX_CHALLENGE_MINUTES,
  type PostForm,
  parseClassLines,
  seconds,
  type TokenInfo,
  taskIdFromReceipt,
  useTokenInfo,
  useWalletState,
  validatePostForm,
} from "@/lib/requester";
import { type GoldRecord, saveGold, saveManifest } from "@/lib/requester-store";
import { circuitForRule, RULE_LABELS } from "@/lib/tasks";
import { DatasetFiles, mergeFiles, type PickedFile, readFiles } from "./DatasetFiles";
import { WalletNotice } from "./WalletNotice";
import "./requester.css";

type StepId = "check" | "sign" | "gold" | "upload" | "approve" | "create";
const STEP_LABELS: Record<StepId, string> = {
  check: "Check",
  sign: "Sign key",
  gold: "Gold",
  upload: "Upload",
  approve: "Approve",
  create: "Create",
};

interface RunState {
  step: StepId;
  status: "running" | "failed";
  error?: string;
  /** The form did not pass its checks: the message lists the fields still wrong, live. */
  invalid?: boolean;
}

interface Created {
  taskId: bigint;
  hash: Hash;
  gold: GoldRecord | null;
  warning: string | null;
}

/** The DOM id of each field, so a failed check can focus the first invalid one. */
const FIELD_IDS: Record<FieldKey, string> = {
  title: "post-title",
  instructions: "post-instructions",
  rule: "post-rule-classification",
  classes: "post-classes",
  allowed: "post-allowed",
  files: "post-files",
  reward: "post-reward",
  deadline: "post-deadline-days",
  workerGroup: "post-worker-group",
  gold: "post-gold-toggle",
  minAccuracy: "post-min-accuracy",
  challenge: "post-challenge-minutes",
  vault: "post-vault-url",
  boxSize: "post-bbox-minw",
  thresholds: "post-sensor-lo",
};

const FIELD_NAMES: Record<FieldKey, string> = {
  title: "title",
  instructions: "instructions",
  rule: "rule",
  classes: "classes",
  allowed: "allowed classes",
  files: "dataset",
  reward: "reward",
  deadline: "deadline",
  workerGroup: "worker group",
  gold: "gold items",
  minAccuracy: "minimum accuracy",
  challenge: "challenge window",
  vault: "vault",
  boxSize: "minimum box size",
  thresholds: "thresholds",
};

const TEST_TOKEN_MINT_ABI = [
  {
    type: "function",
    name: "mint",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [],
    stateMutability: "nonpayable",
  },
] as const;

/** /requester/new: the post-a-task form, its cost summary and the posting steps. */
export function PostTaskPage() {
  const d = useDeployment();
  const config = useConfig();
  const { address, problem } = useWalletState(d);
  const [form, setForm] = useState<PostForm>(() => emptyForm(d.vaultUrl));
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [reading, setReading] = useState(false);
  const [fileNotes, setFileNotes] = useState<string | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [run, setRun] = useState<RunState | null>(null);
  const [upload, setUpload] = useState<{ done: number; total: number } | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [mint, setMint] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });
  const abort = useRef<AbortController | null>(null);
  /** Work already done for this form, reused when posting again after a failure. */
  const cache = useRef<{
    key?: {
      address: Address;
      nonce: bigint;
      pkR: readonly [bigint, bigint];
      pkRDiv8: readonly [bigint, bigint];
    };
    gold?: { k: string; goldRoot: bigint; openings: GoldOpenings; record: GoldRecord; warning: string | null };
    uploaded: Set<string>;
  }>({ uploaded: new Set() });

  const set = <K extends keyof PostForm>(k: K, v: PostForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const tokenAddress = form.token === "eth" ? zeroAddress : (d.testToken as Address);
  const token = useTokenInfo(tokenAddress, d.chainId);
  const classes = useMemo(() => parseClassLines(form.classesText), [form.classesText]);
  const circuit = circuitForRule(form.rule);
  const shownRule = useMemo(() => {
    try {
      return expectedRuleEntry(d, RULE_IDS[form.rule]);
    } catch {
      return undefined;
    }
  }, [d, form.rule]);
  const hasVerifier = circuit !== undefined;
  const batchSize = circuit?.params.N ?? d.batchSize;
  const depth = circuit?.params.DEPTH ?? d.datasetDepth;
  const kind = kindOfRule(RULE_IDS[form.rule]);

  const dataset = useMemo((): { manifest: Manifest } | { error: string } | null => {
    if (files.length === 0) return null;
    const bad = files.filter((f) => f.problem);
    if (bad.length)
      return {
        error: `${bad.length} file${bad.length === 1 ? "" : "s"} cannot be stored by the vault (${bad
          .slice(0, 3)
          .map((f) => `${f.name} ${f.problem}`)
          .join("; ")}${bad.length > 3 ? "; …" : ""}): remove ${bad.length === 1 ? "it" : "them"}`,
      };
    try {
      return buildDataset(
        files.map((f) => ({ name: f.name, bytes: f.bytes, type: f.type })),
        { depth, batchSize, kind },
      );
    } catch (e) {
      return { error: errorText(e) };
    }
  }, [files, depth, batchSize, kind]);
  const manifest = dataset && "manifest" in dataset ? dataset.manifest : null;

  const now = Math.floor(Date.now() / 1000);
  const validation = validatePostForm(form, {
    fileNames: files.map((f) => f.name),
    datasetProblem: dataset && "error" in dataset ? dataset.error : null,
    token,
    hasVerifier,
    now,
  });
  const errors = showErrors ? validation.errors : {};

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
  const short = total !== null && walletFunds !== undefined && walletFunds < total;
  const running = run?.status === "running";

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
      setFileNotes(`The files could not be read: ${errorText(e)}`);
    } finally {
      setReading(false);
    }
  }

  function removeFile(name: string | null) {
    setFiles((fs) => (name === null ? [] : fs.filter((f) => f.name !== name)));
  }

  function fail(step: StepId, e: unknown) {
    setRun({ step, status: "failed", error: errorText(e) });
  }

  async function post() {
    setShowErrors(true);
    setCreated(null);
    const checked = validation.checked;
    if (!checked || !manifest || !token || total === null) {
      const keys = Object.keys(validation.errors) as FieldKey[];
      setRun({ step: "check", status: "failed", invalid: true });
      const first = keys[0];
      if (first) document.getElementById(FIELD_IDS[first])?.focus();
      return;
    }
    if (!address || problem) {
      setRun({
        step: "check",
        status: "failed",
        error:
          problem === "wrong-chain"
            ? `Your wallet is on another network: switch it to chain ${d.chainId}, then post again.`
            : "Connect a wallet first (top right), then post again.",
      });
      return;
    }
    await postChecked(address, checked, manifest, token, total);
  }

  async function postChecked(account: Address, checked: CheckedForm, m: Manifest, tok: TokenInfo, amount: bigint) {
    const r = checked.resolved;
    let step = "check" as StepId;
    const go = (s: StepId) => {
      step = s;
      setRun({ step: s, status: "running" });
    };
    try {
      go("check");
      const funds = tok.isEth
        ? (await ethBalance.refetch()).data?.value
        : ((await readContract(config, {
            address: tok.address,
            abi: erc20Abi,
            functionName: "balanceOf",
            args: [account],
            chainId: d.chainId,
          })) as bigint);
      const groups = (await readContract(config, {
        address: d.groups as Address,
        abi: groupsAbi,
        functionName: "groupCount",
        chainId: d.chainId,
      })) as bigint;
      if (r.workerGroupId >= groups)
        throw new Error(
          `worker group ${r.workerGroupId} does not exist (this chain has groups 0 to ${groups - 1n}): use 0 for the open group`,
        );
      if (funds !== undefined && funds < amount) {
        throw new Error(
          `your wallet holds ${formatAmount(funds, tok)} but this task locks ${formatAmount(amount, tok)}${tok.isEth ? " plus gas" : ""}: fund the account, or lower the reward or the number of items`,
        );
      }

      go("sign");
      let key = cache.current.key;
      if (!key || key.address !== account) {
        const nonce = BigInt(Date.now());
        const signature = await signMessage(config, {
          account,
          message: requesterKeyMessage(BigInt(d.chainId), d.escrow, nonce),
        });
        const derived = requesterKeyFromSignature(signature);
        key = { address: account, nonce, pkR: derived.pkR, pkRDiv8: derived.pkRDiv8 };
        cache.current.key = key;
      }

      let goldRoot = 0n;
      let goldRecord: GoldRecord | null = null;
      let warning: string | null = null;
      if (form.goldOn) {
        go("gold");
        const k = JSON.stringify([m.root, checked.classes, checked.gold]);
        let g = cache.current.gold;
        if (!g || g.k !== k) {
          const built = buildGold(m, checked.classes, checked.gold);
          const record: GoldRecord = {
            kind: "zklabel-gold-openings",
            version: 1,
            chainId: d.chainId,
            escrow: d.escrow,
            datasetRoot: m.root,
            classes: checked.classes,
            minAccuracy: r.minAccuracy,
            openings: built.openings,
          };
          let w: string | null = null;
          await saveGold(record).catch((e: unknown) => {
            w = `The gold openings could not be kept in this browser (${errorText(e)}) Download them below and keep the file safe.`;
          });
          g = { k, goldRoot: built.goldRoot, openings: built.openings, record, warning: w };
          cache.current.gold = g;
        }
        goldRoot = g.goldRoot;
        goldRecord = g.record;
        warning = g.warning;
      }

      go("upload");
      await saveManifest(m).catch((e: unknown) => {
        warning = `${warning ? `${warning} ` : ""}The dataset's file names could not be kept in this browser (${errorText(e)}) Exports will name items by position.`;
      });
      const vaultUrl = form.vaultUrl.trim();
      const uploadKey = `${vaultUrl}|${m.root}`;
      if (!cache.current.uploaded.has(uploadKey)) {
        const ac = new AbortController();
        abort.current = ac;
        setUpload({ done: 0, total: m.count });
        const byIndex = files;
        await new VaultClient(vaultUrl, { token: form.vaultToken.trim() || undefined }).uploadDataset({
          manifest: m,
          bytesOf: (i) => byIndex[i].bytes,
          sizes: byIndex.map((f) => f.bytes.length),
          typeOf: (i) => byIndex[i].type,
          onProgress: (done, n) => setUpload({ done, total: n }),
          signal: ac.signal,
        });
        abort.current = null;
        cache.current.uploaded.add(uploadKey);
      }

      if (!tok.isEth) {
        go("approve");
        const allowance = await readContract(config, {
          address: tok.address,
          abi: erc20Abi,
          functionName: "allowance",
          args: [account, d.escrow as Address],
          chainId: d.chainId,
        });
        if (allowance < amount) {
          const { request } = await simulateContract(config, {
            address: tok.address,
            abi: erc20Abi,
            functionName: "approve",
            args: [d.escrow as Address, amount],
            account,
            chainId: d.chainId,
          });
          await confirmTx(config, await writeContract(config, request), d.chainId);
        }
      }

      go("create");
      // The verifier shown in the summary is the one createTask requires: a registry that holds
      // another one (changed by its owner) makes the transaction revert instead of binding the task to it.
      const rule = expectedRuleEntry(d, r.ruleId);
      const registered = await readContract(config, {
        address: d.escrow as Address,
        abi: escrowAbi,
        functionName: "ruleVerifier",
        args: [r.ruleId],
        chainId: d.chainId,
      });
      if (!sameRuleEntry(registered, rule)) {
        throw new Error(
          `the escrow's registry now holds verifier ${registered.verifier} for this rule, not ${rule.verifier} shown here: its owner changed it. Nothing was posted; reload the page to see the current deployment before posting.`,
        );
      }
      const meta = encodeTaskMetadata({
        version: 1,
        title: r.spec.title,
        instructions: r.spec.instructions,
        rule: { type: form.rule, classes: form.rule === "sensor" ? ["normal", "anomaly"] : checked.classes },
        vault: vaultUrl,
        keyNonce: key.nonce.toString(),
      });
      const { request } = await simulateContract(config, {
        address: d.escrow as Address,
        abi: escrowAbi,
        functionName: "createTask",
        args: [
          {
            token: r.token,
            ruleId: r.ruleId,
            ruleParams: [r.ruleParams[0], r.ruleParams[1], r.ruleParams[2], r.ruleParams[3]],
            datasetRoot: BigInt(m.root),
            itemCount: m.count,
            pkR: [key.pkR[0], key.pkR[1]],
            pkRDiv8: [key.pkRDiv8[0], key.pkRDiv8[1]],
            goldRoot,
            minAccuracy: r.minAccuracy,
            challengeWindow: r.challengeWindow,
            workerGroupId: r.workerGroupId,
            rewardPerItem: r.rewardPerItem,
            deadline: r.deadline,
            funding: amount,
            metadataURI: meta.uri,
            metadataHash: meta.hash,
          },
          rule,
        ],
        value: tok.isEth ? amount : 0n,
        account,
        chainId: d.chainId,
      });
      const hash = await writeContract(config, request);
      const receipt = await confirmTx(config, hash, d.chainId);
      const taskId = taskIdFromReceipt(receipt, d.escrow as Address);
      if (goldRecord) {
        goldRecord = { ...goldRecord, taskId: taskId.toString() };
        await saveGold(goldRecord).catch(() => {});
      }
      cache.current = { uploaded: cache.current.uploaded };
      setRun(null);
      setCreated({ taskId, hash, gold: goldRecord, warning });
      void ethBalance.refetch();
      void tokenBalance.refetch();
    } catch (e) {
      abort.current = null;
      if (step === "upload" && e instanceof DOMException && e.name === "AbortError") {
        setRun({
          step,
          status: "failed",
          error: "The upload was stopped. Post again to continue it where it stopped.",
        });
        return;
      }
      fail(step, e);
    }
  }

  async function mintTestTokens() {
    if (!address || total === null) return;
    setMint({ busy: true });
    try {
      const units = parseUnits("1000", token?.decimals ?? 18);
      const amount = total > units ? total : units;
      const { request } = await simulateContract(config, {
        address: d.testToken as Address,
        abi: TEST_TOKEN_MINT_ABI,
        functionName: "mint",
        args: [address, amount],
        account: address,
        chainId: d.chainId,
      });
      await confirmTx(config, await writeContract(config, request), d.chainId);
      await tokenBalance.refetch();
      setMint({ busy: false, done: `Minted ${formatAmount(amount, token)} to your account.` });
    } catch (e) {
      setMint({ busy: false, error: errorText(e) });
    }
  }

  function reset() {
    setForm(emptyForm(d.vaultUrl));
    setFiles([]);
    setCreated(null);
    setRun(null);
    setUpload(null);
    setShowErrors(false);
    cache.current = { uploaded: cache.current.uploaded };
  }

  if (created)
    return (
      <CreatedPanel
        created={created}
        upload={upload}
        title={validation.checked?.resolved.spec.title ?? form.title}
        onAnother={reset}
      />
    );

  const steps: StepId[] = [
    "check",
    "sign",
    ...(form.goldOn ? (["gold"] as const) : []),
    "upload",
    ...(form.token === "test" ? (["approve"] as const) : []),
    "create",
  ];
  const stepIndex = run ? steps.indexOf(run.step) : -1;
  const invalidKeys = Object.keys(validation.errors) as FieldKey[];
  const err = (k: FieldKey) => errors[k];
  const described = (k: FieldKey, hint?: string) =>
    [errors[k] ? `${FIELD_IDS[k]}-error` : null, hint ?? null].filter(Boolean).join(" ") || undefined;
  const errorEl = (k: FieldKey) =>
    errors[k] ? (
      <span id={`${FIELD_IDS[k]}-error`} className="error small">
        {errors[k]}
      </span>
    ) : null;

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
          <fieldset className="card rq-section" disabled={running}>
            <legend className="rq-legend-title">Task</legend>
            <label className="field" htmlFor="post-title">
              <span>Title</span>
              <input
                id="post-title"
                data-testid="post-title"
                value={form.title}
                maxLength={200}
                aria-invalid={err("title") ? true : undefined}
                aria-describedby={described("title")}
                onChange={(e) => set("title", e.target.value)}
              />
              {errorEl("title")}
            </label>
            <label className="field" htmlFor="post-instructions">
              <span>Instructions for workers</span>
              <textarea
                id="post-instructions"
                data-testid="post-instructions"
                rows={4}
                value={form.instructions}
                aria-invalid={err("instructions") ? true : undefined}
                aria-describedby={described("instructions")}
                onChange={(e) => set("instructions", e.target.value)}
              />
              {errorEl("instructions")}
            </label>
          </fieldset>

          <fieldset className="card rq-section" disabled={running}>
            <legend className="rq-legend-title">Rule</legend>
            <div className="rq-radios" role="radiogroup" aria-label="Rule type" aria-describedby={described("rule")}>
              {(["classification", "bbox", "sensor"] as const).map((rule) => (
                <label key={rule} className="rq-radio" htmlFor={`post-rule-${rule}`}>
                  <input
                    type="radio"
                    id={`post-rule-${rule}`}
                    name="rule"
                    data-testid={`post-rule-${rule}`}
                    checked={form.rule === rule}
                    onChange={() => set("rule", rule)}
                  />
                  <span>{RULE_LABELS[rule]}</span>
                  {!circuitForRule(rule) && <span className="badge">no verifier yet</span>}
                </label>
              ))}
            </div>
            {errorEl("rule")}
            {form.rule === "bbox" && (
              <BboxParams form={form} set={set} error={err("boxSize")} described={described("boxSize")} />
            )}
            {form.rule === "sensor" && (
              <SensorParams form={form} set={set} error={err("thresholds")} described={described("thresholds")} />
            )}
            {form.rule !== "sensor" && (
              <ClassesEditor
                form={form}
                classes={classes}
                disabled={false}
                onText={(t) => set("classesText", t)}
                onAllowed={(name, ok) =>
                  set("disallowed", ok ? form.disallowed.filter((c) => c !== name) : [...form.disallowed, name])
                }
                errorClasses={err("classes")}
                errorAllowed={err("allowed")}
              />
            )}
          </fieldset>

          <fieldset className="card rq-section" disabled={running}>
            <legend className="rq-legend-title">Dataset</legend>
            <DatasetFiles
              files={files}
              onAdd={(l) => void addFiles(l)}
              onRemove={removeFile}
              reading={reading}
              notes={fileNotes}
              error={err("files")}
              itemCount={manifest?.count ?? null}
              batchSize={batchSize}
              disabled={running}
              gold={{
                on: form.goldOn,
                marks: form.gold,
                classes,
                disallowed: form.disallowed,
                onMark: (name, label) => set("gold", { ...form.gold, [name]: label }),
                onImport: (marks) => set("gold", { ...form.gold, ...marks }),
              }}
            />
            {manifest && (
              <p className="small muted" data-testid="dataset-root" data-root={manifest.root}>
                Dataset root <code title={manifest.root}>{`${manifest.root.slice(0, 14)}…`}</code> · {manifest.count}{" "}
                items. The manifest with the file names stays in this browser.
              </p>
            )}
            <p className="small muted">
              <strong>{batchSize} items per batch</strong>, fixed by the deployed circuit.{" "}
              {form.rule === "bbox"
                ? "Items are images (PNG, JPEG, GIF or WebP) up to 65535 pixels a side."
                : form.rule === "sensor"
                  ? 'Each item is one window of 16 readings, 0–65535: a JSON array, {"readings": [...]}, or one CSV line.'
                  : "Items are texts or images."}
            </p>
            <div className="rq-grid2">
              <label className="field" htmlFor="post-vault-url">
                <span>Vault (stores the items; workers fetch batches from it)</span>
                <input
                  id="post-vault-url"
                  data-testid="post-vault-url"
                  type="url"
                  value={form.vaultUrl}
                  aria-invalid={err("vault") ? true : undefined}
                  aria-describedby={described("vault")}
                  onChange={(e) => set("vaultUrl", e.target.value)}
                />
                {errorEl("vault")}
              </label>
              <label className="field" htmlFor="post-vault-token">
                <span>Vault upload token (only if the vault asks for one)</span>
                <input
                  id="post-vault-token"
                  type="password"
                  autoComplete="off"
                  value={form.vaultToken}
                  onChange={(e) => set("vaultToken", e.target.value)}
                />
              </label>
            </div>
          </fieldset>

          <fieldset className="card rq-section" disabled={running}>
            <legend className="rq-legend-title">Gold items (optional)</legend>
            <label className="field inline" htmlFor="post-gold-toggle">
              <input
                id="post-gold-toggle"
                type="checkbox"
                data-testid="post-gold-toggle"
                checked={form.goldOn}
                aria-describedby={described("gold", "post-gold-hint")}
                onChange={(e) => set("goldOn", e.target.checked)}
              />
              <span>Check batches against gold items (items whose answer you know)</span>
            </label>
            <p id="post-gold-hint" className="small muted">
              {form.goldOn
                ? "Mark gold items and their answers in the file list above (or import a gold file). Each batch is then pending for the challenge window before it is paid; the gold answers stay secret (only a commitment goes on-chain)."
                : "Without gold items, a batch is paid as soon as its proof is accepted."}
            </p>
            {errorEl("gold")}
            {form.goldOn && (
              <div className="rq-grid2">
                <label className="field" htmlFor="post-min-accuracy">
                  <span>Minimum accuracy on gold items (%)</span>
                  <input
                    id="post-min-accuracy"
                    data-testid="post-min-accuracy"
                    inputMode="numeric"
                    value={form.minAccuracy}
                    aria-invalid={err("minAccuracy") ? true : undefined}
                    aria-describedby={described("minAccuracy")}
                    onChange={(e) => set("minAccuracy", e.target.value)}
                  />
                  {errorEl("minAccuracy")}
                </label>
                <label className="field" htmlFor="post-challenge-minutes">
                  <span>Challenge window (minutes, at most {MAX_CHALLENGE_MINUTES})</span>
                  <input
                    id="post-challenge-minutes"
                    data-testid="post-challenge-minutes"
                    inputMode="numeric"
                    value={form.challengeMinutes}
                    aria-invalid={err("challenge") ? true : undefined}
                    aria-describedby={described("challenge", "post-challenge-hint")}
                    onChange={(e) => set("challengeMinutes", e.target.value)}
                  />
                  <span id="post-challenge-hint" className="small muted">
                    {/^\d+$/.test(form.challengeMinutes) && Number(form.challengeMinutes) > 0
                      ? `= ${seconds(Number(form.challengeMinutes) * 60)} before a batch can be finalized and paid`
                      : "How long you have to check a batch before it is paid"}
                  </span>
                  {errorEl("challenge")}
                </label>
              </div>
            )}
          </fieldset>

          <fieldset className="card rq-section" disabled={running}>
            <legend className="rq-legend-title">Payment</legend>
            <div className="rq-grid2">
              <label className="field" htmlFor="post-token">
                <span>Token</span>
                <select
                  id="post-token"
                  data-testid="post-token"
                  value={form.token}
                  onChange={(e) => set("token", e.target.value as PostForm["token"])}
                >
                  <option value="eth">ETH</option>
                  <option value="test">
                    {form.token === "test" && token ? token.symbol : "Test token"} (dev ERC-20 {d.testToken.slice(0, 8)}
                    …)
                  </option>
                </select>
              </label>
              <label className="field" htmlFor="post-reward">
                <span>Reward per item ({token?.symbol ?? "…"})</span>
                <input
                  id="post-reward"
                  data-testid="post-reward"
                  inputMode="decimal"
                  value={form.reward}
                  aria-invalid={err("reward") ? true : undefined}
                  aria-describedby={described("reward")}
                  onChange={(e) => set("reward", e.target.value)}
                />
                {errorEl("reward")}
              </label>
              <label className="field" htmlFor="post-deadline-days">
                <span>Deadline (days from now)</span>
                <input
                  id="post-deadline-days"
                  data-testid="post-deadline-days"
                  inputMode="decimal"
                  value={form.deadlineDays}
                  aria-invalid={err("deadline") ? true : undefined}
                  aria-describedby={described("deadline", "post-deadline-hint")}
                  onChange={(e) => set("deadlineDays", e.target.value)}
                />
                <span id="post-deadline-hint" className="small muted">
                  {Number(form.deadlineDays) > 0 && Number(form.deadlineDays) <= 3650
                    ? `Ends ${new Date(Date.now() + Number(form.deadlineDays) * 86_400_000).toLocaleString()}`
                    : "After the deadline no batch is accepted"}
                </span>
                {errorEl("deadline")}
              </label>
              <label className="field" htmlFor="post-worker-group">
                <span>Worker group (0 = the open group)</span>
                <input
                  id="post-worker-group"
                  data-testid="post-worker-group"
                  inputMode="numeric"
                  value={form.workerGroup}
                  aria-invalid={err("workerGroup") ? true : undefined}
                  aria-describedby={described("workerGroup")}
                  onChange={(e) => set("workerGroup", e.target.value)}
                />
                {form.workerGroup.trim() !== "" && form.workerGroup.trim() !== "0" && (
                  <span className="small muted" data-testid="curated-group-power">
                    A curated group&apos;s admin decides who may work on this task, and can add identities of their own.
                  </span>
                )}
                {errorEl("workerGroup")}
              </label>
            </div>
          </fieldset>
        </div>

        <aside className="rq-post-side">
          <section className="card" aria-labelledby="post-summary-heading">
            <h2 id="post-summary-heading">Cost summary</h2>
            <div data-testid="post-summary" data-total-wei={total?.toString() ?? ""}>
              <dl className="rq-summary">
                <div>
                  <dt>Items</dt>
                  <dd>{manifest ? manifest.count : "—"}</dd>
                </div>
                <div>
                  <dt>Reward per item</dt>
                  <dd>{rewardPerItem !== null ? formatAmount(rewardPerItem, token) : "—"}</dd>
                </div>
                <div className="rq-total">
                  <dt>Total locked now</dt>
                  <dd>{total !== null ? formatAmount(total, token) : "—"}</dd>
                </div>
                <div>
                  <dt>Transactions</dt>
                  <dd>
                    {form.token === "eth"
                      ? "1 (creates and funds)"
                      : `2 (approve ${token?.symbol ?? "the token"}, then create)`}
                  </dd>
                </div>
                <div>
                  <dt>Signature</dt>
                  <dd>1, free (your label key)</dd>
                </div>
                {shownRule && (
                  <div>
                    <dt>Verifier</dt>
                    <dd>
                      <code data-testid="post-verifier" title={shownRule.verifier}>
                        {shortAddress(shownRule.verifier)}
                      </code>
                    </dd>
                  </div>
                )}
              </dl>
              {shownRule && (
                <p className="small muted">
                  The task is bound to this verifier: if the escrow&apos;s registry holds another one when the
                  transaction is mined, it reverts and nothing is posted.
                </p>
              )}
              <p className="small muted">
                Plus gas in ETH (creating a task uses about 0.7 M gas
                {form.token === "test" ? ", approving about 50 k" : ""}). Workers are paid per verified item from the
                locked amount; what is not spent comes back after the deadline, or one hour after you cancel (batches
                submitted in that hour are still paid).
                {form.goldOn ? " Batches are paid after their challenge window." : " Batches are paid on acceptance."}
              </p>
              {address && walletFunds !== undefined && (
                <p className={`small ${short ? "bad" : "muted"}`} data-testid="post-wallet-funds">
                  Your wallet: {formatAmount(walletFunds, token)}
                  {short && ` — not enough for ${formatAmount(total ?? 0n, token)}.`}
                </p>
              )}
              {short && form.token === "test" && d.chainId === DEV_CHAIN_ID && (
                <div>
                  <button
                    type="button"
                    className="btn small"
                    data-testid="mint-test-token"
                    disabled={mint.busy}
                    onClick={() => void mintTestTokens()}
                  >
                    {mint.busy ? "Minting…" : `Mint test ${token?.symbol ?? "tokens"} to this account`}
                  </button>
                </div>
              )}
              {mint.done && (
                <p className="ok small" role="status">
                  {mint.done}
                </p>
              )}
              {mint.error && (
                <p className="error small" role="alert">
                  {mint.error}
                </p>
              )}
            </div>
            <button type="submit" className="btn primary wide" data-testid="post-submit" disabled={running}>
              {running ? "Posting…" : run?.status === "failed" && run.step !== "check" ? "Post again" : "Post task"}
            </button>
            {run && !run.invalid && (
              <div className={`run rq-run ${run.status}`} aria-live="polite" data-step={run.step}>
                <ol className="steps">
                  {steps.map((s, i) => (
                    <li
                      key={s}
                      className={i < stepIndex ? "done" : i === stepIndex ? "current" : ""}
                      aria-current={i === stepIndex ? "step" : undefined}
                    >
                      {STEP_LABELS[s]}
                    </li>
                  ))}
                </ol>
                {run.status === "running" && (
                  <p className="small" data-testid="post-stage">
                    {run.step === "check"
                      ? "Checking your balance…"
                      : run.step === "sign"
                        ? "Sign the key message in your wallet (free, no transaction)…"
                        : run.step === "gold"
                          ? "Committing to the gold answers…"
                          : run.step === "upload"
                            ? "Uploading the items to the vault…"
                            : run.step === "approve"
                              ? `Approve the escrow to take ${total !== null ? formatAmount(total, token) : "the total"} in your wallet…`
                              : "Confirm the transaction that creates and funds the task…"}
                  </p>
                )}
              </div>
            )}
            {upload && (run?.step === "upload" || (run && stepIndex > steps.indexOf("upload"))) && (
              <div className="rq-upload">
                <progress
                  data-testid="upload-progress"
                  data-done={upload.done}
                  data-total={upload.total}
                  max={upload.total}
                  value={upload.done}
                  aria-label="Upload progress"
                />
                <p className="small">
                  {upload.done} of {upload.total} items
                  {running && run?.step === "upload" && (
                    <>
                      {" "}
                      <button type="button" className="btn ghost small" onClick={() => abort.current?.abort()}>
                        Stop upload
                      </button>
                    </>
                  )}
                </p>
              </div>
            )}
            {run?.status === "failed" && (!run.invalid || invalidKeys.length > 0) && (
              <div className="rq-failed" role="alert" data-testid="post-error">
                <p>
                  {run.step !== "check" && <strong>{STEP_LABELS[run.step]} failed: </strong>}
                  {run.invalid
                    ? `Fix ${invalidKeys.length === 1 ? "this field" : `these ${invalidKeys.length} fields`} first: ${invalidKeys.map((k) => FIELD_NAMES[k]).join(", ")}.`
                    : run.error}
                </p>
                {run.step !== "check" && (
                  <p className="small muted">
                    Nothing is lost: your form, the signed key
                    {form.goldOn ? ", the gold commitment" : ""} and any uploaded items are kept, so posting again
                    continues where it stopped.
                  </p>
                )}
              </div>
            )}
          </section>
        </aside>
      </form>
    </>
  );
}

function ClassesEditor(props: {
  form: PostForm;
  classes: string[];
  disabled: boolean;
  onText(t: string): void;
  onAllowed(name: string, ok: boolean): void;
  errorClasses: string | undefined;
  errorAllowed: string | undefined;
}) {
  const id = useId();
  const unique = [...new Set(props.classes)];
  return (
    <div className="rq-classes">
      <label className="field" htmlFor="post-classes">
        <span>Class names, one per line (2 to 32)</span>
        <textarea
          id="post-classes"
          data-testid="post-classes"
          rows={5}
          value={props.form.classesText}
          disabled={props.disabled}
          aria-invalid={props.errorClasses ? true : undefined}
          aria-describedby={props.errorClasses ? "post-classes-error" : undefined}
          onChange={(e) => props.onText(e.target.value)}
        />
        {props.errorClasses && (
          <span id="post-classes-error" className="error small">
            {props.errorClasses}
          </span>
        )}
      </label>
      <fieldset
        className="rq-allowed"
        id="post-allowed"
        tabIndex={-1}
        disabled={props.disabled || unique.length === 0}
        aria-describedby={props.errorAllowed ? "post-allowed-error" : undefined}
      >
        <legend className="small muted">Classes workers may use</legend>
        {unique.length === 0 ? (
          <p className="small muted">Type the class names first.</p>
        ) : (
          <ul className="classes">
            {unique.map((c, i) => (
              <li key={c} className={`class-chip ${props.form.disallowed.includes(c) ? "forbidden" : ""}`}>
                <input
                  id={`${id}-allowed-${i}`}
                  type="checkbox"
                  data-testid={`post-allowed-${i}`}
                  checked={!props.form.disallowed.includes(c)}
                  onChange={(e) => props.onAllowed(c, e.target.checked)}
                />
                <label htmlFor={`${id}-allowed-${i}`}>
                  <kbd>{i}</kbd> {c}
                </label>
              </li>
            ))}
          </ul>
        )}
        {props.errorAllowed && (
          <p id="post-allowed-error" className="error small">
            {props.errorAllowed}
          </p>
        )}
      </fieldset>
    </div>
  );
}

interface ParamsProps {
  form: PostForm;
  set<K extends keyof PostForm>(k: K, v: PostForm[K]): void;
  error: string | undefined;
  described: string | undefined;
}

/** A whole-number field of the rule's parameters, labelled and linked to the group's error. */
function ParamField(props: ParamsProps & { field: "minWidth" | "minHeight" | "lo" | "hi"; id: string; label: string }) {
  return (
    <label className="field" htmlFor={props.id}>
      <span>{props.label}</span>
      <input
        id={props.id}
        data-testid={props.id}
        inputMode="numeric"
        value={props.form[props.field]}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.described}
        onChange={(e) => props.set(props.field, e.target.value)}
      />
    </label>
  );
}

function ParamsError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={id} className="error small">
      {error}
    </p>
  ) : null;
}

function BboxParams(p: ParamsProps) {
  return (
    <div>
      <div className="rq-grid2">
        <ParamField {...p} field="minWidth" id="post-bbox-minw" label="Minimum box width (pixels)" />
        <ParamField {...p} field="minHeight" id="post-bbox-minh" label="Minimum box height (pixels)" />
      </div>
      <ParamsError id="post-bbox-minw-error" error={p.error} />
    </div>
  );
}

function SensorParams(p: ParamsProps) {
  return (
    <div>
      <p className="small muted">
        A window is normal when all of its 16 readings lie within [low, high], an anomaly otherwise; workers prove each
        label agrees with the readings.
      </p>
      <div className="rq-grid2">
        <ParamField {...p} field="lo" id="post-sensor-lo" label="Low threshold (0–65535)" />
        <ParamField {...p} field="hi" id="post-sensor-hi" label="High threshold (0–65535)" />
      </div>
      <ParamsError id="post-sensor-lo-error" error={p.error} />
    </div>
  );
}

function CreatedPanel({
  created,
  upload,
  title,
  onAnother,
}: {
  created: Created;
  upload: { done: number; total: number } | null;
  title: string;
  onAnother(): void;
}) {
  const id = created.taskId.toString();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card rq-created" data-testid="post-created" data-task-id={id} aria-labelledby="created-h">
      <p className="eyebrow">Posted</p>
      <h1 id="created-h" tabIndex={-1} ref={heading}>
        Task #{id} created
      </h1>
      <p>
        “{title}” is funded and open for workers. Transaction{" "}
        <code title={created.hash}>{created.hash.slice(0, 14)}…</code>
      </p>
      {upload && (
        <div className="rq-upload">
          <progress
            data-testid="upload-progress"
            data-done={upload.done}
            data-total={upload.total}
            max={upload.total}
            value={upload.done}
            aria-label="Upload progress"
          />
          <p className="small">
            {upload.done} of {upload.total} items in the vault
          </p>
        </div>
      )}
      <p className="rq-actions">
        <Link className="btn primary" href={`/requester/${id}`} data-testid="created-manage">
          Manage task #{id}
        </Link>
        <Link className="btn" href={`/audit/${id}`} data-testid="created-audit">
          Public audit view
        </Link>
        {created.gold && (
          <button
            type="button"
            className="btn"
            data-testid="download-gold"
            onClick={() => {
              const g = created.gold;
              if (g)
                downloadText(`task-${id}-gold-openings.json`, `${JSON.stringify(g, null, 2)}\n`, "application/json");
            }}
          >
            Download gold openings
          </button>
        )}
        <button type="button" className="btn ghost" onClick={onAnother}>
          Post another task
        </button>
      </p>
      {created.gold && (
        <p className="small muted">
          The gold openings (answers and salts) are secret: they are kept in this browser and are what rejecting a bad
          batch will need. Keep the downloaded file safe and do not share it.
        </p>
      )}
      {created.warning && (
        <p className="banner" role="alert">
          {created.warning}
        </p>
      )}
    </section>
  );
}
