"use client";
/**
 * The one map from a rule's name to its screens: the labeler a worker labels with, how the rule's
 * issues and keys read, and the words of its parameters on the post form. This is the only place
 * in the app that names a rule (`npm run lint` fails on a rule name or id compared anywhere else):
 * everything else asks the rule's module (@zklabel/core/rules) or this map. A new rule is one
 * entry here and one labeler component; a rule made with the rule authoring kit needs neither: it
 * gets the generic labeler over its label fields (GenericLabeler.tsx) unless it has an entry here.
 */
import { ZkLabelError } from "@zklabel/core/errors";
import { type AnyRule, RULES, type RuleIssue } from "@zklabel/core/rules";
import { isKitRule, type KitRule } from "@zklabel/core/rules/kit";
import type { ComponentType, ReactNode } from "react";
import { BoxLabeler, boxIssueText } from "./BoxLabeler";
import { ClassificationLabeler, classificationIssueText } from "./ClassificationLabeler";
import { GenericLabeler, genericIssueText } from "./GenericLabeler";
import type { IssueContext, LabelerProps } from "./LabelerParts";
import { PolygonLabeler, polygonIssueText } from "./PolygonLabeler";
import { SensorLabeler, sensorIssueText } from "./SensorLabeler";

/** A parameter of the rule's spec as the post form shows it. */
export interface ParamField {
  /** The input's DOM id and test id. */
  id: string;
  label: string;
  /** The value the form starts with. */
  start: string;
}

/** What the app shows for one rule. */
export interface RuleScreens {
  Labeler: ComponentType<LabelerProps<any, any>>;
  /** An issue of the rule's checker in words, from its typed fields (without the item: the list names it). */
  issueText(issue: RuleIssue, ctx: IssueContext<any>): string;
  /** The keys line above the labeler. */
  keys(classCount: number): ReactNode;
  /** The rule in one line under the task's instructions, from its decoded parameters (none: the classes say it). */
  ruleLine?(params: any): ReactNode;
  /** The post form: the rule's number parameters by their spec name, a note on them, what its items are. */
  post: {
    params: Readonly<Record<string, ParamField>>;
    note?: string;
    items: string;
  };
}

const numberKeys = (what: string, classCount: number) => (
  <>
    <kbd>1</kbd>–<kbd>{Math.min(9, classCount)}</kbd> {what}
  </>
);

const SCREENS: Record<string, RuleScreens> = {
  classification: {
    Labeler: ClassificationLabeler,
    issueText: classificationIssueText,
    keys: (n) => (
      <>
        {numberKeys("label", n)}, <kbd>←</kbd>/<kbd>→</kbd> move,
      </>
    ),
    post: { params: {}, items: "Items are texts or images." },
  },
  bbox: {
    Labeler: BoxLabeler,
    issueText: boxIssueText,
    keys: (n) => (
      <>
        drag to draw, {numberKeys("class", n)}, <kbd>[</kbd>/<kbd>]</kbd> item,
      </>
    ),
    ruleLine: (p: { minWidth: number; minHeight: number }) => (
      <>
        One box per image, at least {p.minWidth}×{p.minHeight} pixels.
      </>
    ),
    post: {
      params: {
        minWidth: { id: "post-bbox-minw", label: "Minimum box width (pixels)", start: "8" },
        minHeight: { id: "post-bbox-minh", label: "Minimum box height (pixels)", start: "8" },
      },
      items: "Items are images (PNG, JPEG, GIF or WebP) up to 65535 pixels a side.",
    },
  },
  // Made with the rule authoring kit, with a screen of its own instead of the generic form.
  polygon: {
    Labeler: PolygonLabeler,
    issueText: polygonIssueText,
    keys: (n) => (
      <>
        click to place vertices, <kbd>Enter</kbd> close, <kbd>Backspace</kbd> undo, drag a vertex,{" "}
        {numberKeys("class", n)}, <kbd>[</kbd>/<kbd>]</kbd> item,
      </>
    ),
    ruleLine: (p: { minArea: number }) => (
      <>One polygon per image, 3 to 6 vertices inside it, at least {p.minArea} px² in area.</>
    ),
    post: {
      params: { minArea: { id: "post-polygon-minarea", label: "Minimum polygon area (square pixels)", start: "100" } },
      note: "Each image gets one polygon of 3 to 6 vertices, inside the image and of at least this area; self-intersection is not checked.",
      items: "Items are images (PNG, JPEG, GIF or WebP) up to 65535 pixels a side.",
    },
  },
  sensor: {
    Labeler: SensorLabeler,
    issueText: sensorIssueText,
    keys: (n) => (
      <>
        {numberKeys("label", n)}, <kbd>←</kbd>/<kbd>→</kbd> move,
      </>
    ),
    ruleLine: (p: { lo: number; hi: number }) => (
      <span data-testid="sensor-thresholds">
        Normal when every reading is within [{p.lo}, {p.hi}]; anomaly otherwise.
      </span>
    ),
    post: {
      params: {
        lo: { id: "post-sensor-lo", label: "Low threshold (0–65535)", start: "1000" },
        hi: { id: "post-sensor-hi", label: "High threshold (0–65535)", start: "60000" },
      },
      note: "A window is normal when all of its 16 readings lie within [low, high], an anomaly otherwise; workers prove each label agrees with the readings.",
      items: 'Each item is one window of 16 readings, 0–65535: a JSON array, {"readings": [...]}, or one CSV line.',
    },
  },
};

/** What the items of a kit rule are, for the post form. */
function kitItems(r: KitRule): string {
  const d = r.description;
  if (d.items.kind === "image") return "Items are images (PNG, JPEG, GIF or WebP) up to 65535 pixels a side.";
  if (d.items.kind === "content") return "Items are texts or images.";
  return `Each item gives ${d.items.fields.map((f) => `${f.name} (${f.from})`).join(", ")}.`;
}

/**
 * The screens of a rule made with the rule authoring kit that has none of its own here: the generic
 * labeler over its label fields, its check's words, and its parameters on the post form.
 */
function kitScreens(r: KitRule): RuleScreens {
  return {
    Labeler: GenericLabeler,
    issueText: genericIssueText,
    keys: () => (
      <>
        fill the fields, <kbd>Enter</kbd> next item, <kbd>←</kbd>/<kbd>→</kbd> move,
      </>
    ),
    ruleLine: () => <>{r.summary[0].toUpperCase() + r.summary.slice(1)}.</>,
    post: {
      params: Object.fromEntries(
        r.description.params.map((q) => [
          q.name,
          { id: `post-${r.name}-${q.name}`, label: q.title ?? q.name, start: "0" },
        ]),
      ),
      note: `${r.title} is a rule made with the rule authoring kit: ${r.summary}.`,
      items: kitItems(r),
    },
  };
}

const KIT_SCREENS: Record<string, RuleScreens> = Object.fromEntries(
  RULES.filter((r) => !Object.hasOwn(SCREENS, r.name) && isKitRule(r)).map((r) => [r.name, kitScreens(r as KitRule)]),
);

/** Why a rule cannot be labeled in this app (a rule module without screens here). */
export const noScreens = (rule: AnyRule): string =>
  `This app has no labeling screen for ${rule.noun} tasks ("${rule.name}") yet: label them with the SDK or the CLI.`;

/** The screens of a rule; a clear error for a rule this app has no labeler for. */
export function screensFor(rule: AnyRule): RuleScreens {
  const s = SCREENS[rule.name] ?? KIT_SCREENS[rule.name];
  if (!s) throw new ZkLabelError("unknown_rule", noScreens(rule));
  return s;
}

/** Whether the app has screens for a rule. */
export const hasScreens = (rule: AnyRule): boolean =>
  Object.hasOwn(SCREENS, rule.name) || Object.hasOwn(KIT_SCREENS, rule.name);

/** The post form's starting rule parameters, for every rule with screens. */
export const startParams = (): Record<string, string> =>
  Object.fromEntries(
    [...Object.values(SCREENS), ...Object.values(KIT_SCREENS)].flatMap((s) =>
      Object.entries(s.post.params).map(([name, f]) => [name, f.start]),
    ),
  );
