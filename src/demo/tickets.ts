/**
 * The demo's simulated world: support tickets, what an on-call engineer needs from a summary of
 * one (its severity, the component, the error code it quotes, whether there is a workaround),
 * and how a summary is scored against that. Everything is a fixed function of the ticket's
 * number, so the demo tells the same story on every machine. Used only by `kaizen demo`.
 */
import { createHash } from "node:crypto";

export interface Ticket {
  number: number;
  text: string;
  customer: string;
  component: Component;
  problem: string;
  blocked: boolean;
  errorCode: string | null;
  workaround: string | null;
}

export const COMPONENTS = ["login", "billing", "export", "API", "mobile app"] as const;
export type Component = (typeof COMPONENTS)[number];

/** What a good summary states; each is one instruction a prompt can give. */
export const ASPECTS = ["severity", "component", "error_code", "workaround"] as const;
export type Aspect = (typeof ASPECTS)[number];

/** The instruction that makes the simulated student state an aspect, as the teacher writes it. */
export const INSTRUCTIONS: Readonly<Record<Aspect, string>> = {
  severity: "Start with the severity: P1 when the customer is blocked, P2 otherwise.",
  component: "Name the affected component in brackets: [login], [billing], [export], [API] or [mobile app].",
  error_code: "Quote the error code when the ticket gives one.",
  workaround: "Say whether the customer has a workaround.",
};

/** How the simulated student recognises an instruction in a prompt (any wording that says it). */
export const INSTRUCTION_PATTERNS: Readonly<Record<Aspect, RegExp>> = {
  severity: /severity|\bP1\b/i,
  component: /component/i,
  error_code: /error code/i,
  workaround: /workaround/i,
};

/** What the judge says when a summary lacks an aspect: the critique the teacher learns from. */
export const CRITIQUES: Readonly<Record<Aspect, string>> = {
  severity: "Missing: the severity (P1 when the customer is blocked, P2 otherwise).",
  component: "Missing: the affected component.",
  error_code: "Missing: the error code the customer quoted.",
  workaround: "Missing: whether the customer has a workaround.",
};

const CUSTOMERS = ["Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Stark Logistics", "Wayne Retail"];
const PROBLEMS: Readonly<Record<Component, readonly [string, string][]>> = {
  login: [
    ["cannot sign in", "none of our agents can sign in since this morning"],
    ["is logged out every few minutes", "we get logged out every few minutes"],
  ],
  billing: [
    ["was charged twice", "our card was charged twice for the March invoice"],
    ["cannot download invoices", "the invoices page stays empty"],
  ],
  export: [
    ["gets empty CSV exports", "every CSV export we start comes back empty"],
    ["has exports stuck at 0%", "the nightly export has been stuck at 0% for hours"],
  ],
  API: [
    ["gets timeouts from the API", "about one API call in ten times out"],
    ["is rate limited far below its quota", "the API rate-limits us at a tenth of our quota"],
  ],
  "mobile app": [
    ["sees the mobile app crash on start", "the mobile app crashes as soon as it opens"],
    ["gets no push notifications", "push notifications stopped arriving on phones"],
  ],
};
const WORKAROUNDS = ["use the web version", "restart the job by hand", "retry after a minute"];
const CODE_PREFIX: Readonly<Record<Component, string>> = {
  login: "AUTH",
  billing: "PAY",
  export: "EXP",
  API: "API",
  "mobile app": "MOB",
};

/** A number in [0, 1) from the hash of some parts: the world's only source of chance. */
export function unit(...parts: unknown[]): number {
  return createHash("sha256").update(JSON.stringify(parts)).digest().readUInt32BE(0) / 2 ** 32;
}

const pick = <T>(items: readonly T[], ...parts: unknown[]): T =>
  items[Math.floor(unit(...parts) * items.length)]!;

const FIRST_TICKET = 4100;

/** Ticket number `number`, always the same. */
export function ticket(number: number): Ticket {
  const component = pick(COMPONENTS, "component", number);
  const [problem, complaint] = pick(PROBLEMS[component], "problem", number);
  const customer = pick(CUSTOMERS, "customer", number);
  const blocked = unit("blocked", number) < 0.45;
  const errorCode =
    unit("code", number) < 0.55
      ? `${CODE_PREFIX[component]}-${100 + Math.floor(unit("code-number", number) * 800)}`
      : null;
  const workaround = unit("workaround", number) < 0.4 ? pick(WORKAROUNDS, "how", number) : null;
  const text = [
    `Hi, this is ${customer}: ${complaint}.`,
    errorCode ? `The screen shows error ${errorCode}.` : "",
    blocked ? "Nobody on our side can work until this is fixed." : "It is annoying, but we can keep going.",
    workaround ? `For now we ${workaround}.` : "We found no way around it.",
    `(ticket #${number})`,
  ]
    .filter(Boolean)
    .join(" ");
  return { number, text, customer, component, problem, blocked, errorCode, workaround };
}

/** The tickets of the demo's production log. */
export function tickets(count: number): Ticket[] {
  return Array.from({ length: count }, (_, i) => ticket(FIRST_TICKET + i));
}

/** The ticket a text quotes (a prompt, a judge's request), by its number; the last one quoted wins. */
export function ticketIn(text: string): Ticket | null {
  const numbers = [...text.matchAll(/ticket #(\d+)/g)].map((m) => Number(m[1]));
  const last = numbers.at(-1);
  return last === undefined ? null : ticket(last);
}

/** The aspects that matter for a ticket: an error code only when it quotes one. */
export function relevantAspects(t: Ticket): Aspect[] {
  return ASPECTS.filter((a) => a !== "error_code" || t.errorCode !== null);
}

/** Which aspects a summary states. */
export function statedAspects(t: Ticket, summary: string): Aspect[] {
  const stated: Aspect[] = [];
  if (/\bP[12]\b/.test(summary)) stated.push("severity");
  if (summary.includes(`[${t.component}]`)) stated.push("component");
  if (t.errorCode && summary.includes(t.errorCode)) stated.push("error_code");
  if (/workaround/i.test(summary)) stated.push("workaround");
  return stated;
}

/** The share of what matters that a summary states: the score people (and the judge) give. */
export function trueScore(t: Ticket, summary: string): number {
  const relevant = relevantAspects(t);
  const stated = statedAspects(t, summary);
  return relevant.filter((a) => stated.includes(a)).length / relevant.length;
}

/**
 * The simulated student's summary of a ticket under a prompt: it states an aspect when the
 * prompt asks for it (and, now and then, unasked), like a real model following instructions.
 */
export function summarize(prompt: string, t: Ticket): string {
  const asked = (a: Aspect) => INSTRUCTION_PATTERNS[a].test(prompt.replace(t.text, ""));
  const states = (a: Aspect) => unit("states", a, t.number, asked(a)) < (asked(a) ? 0.97 : 0.2);
  const parts: string[] = [];
  if (states("severity")) parts.push(t.blocked ? "P1" : "P2");
  if (states("component")) parts.push(`[${t.component}]`);
  parts.push(`${t.customer} ${t.problem}`);
  let summary = parts.join(" ");
  if (t.errorCode && states("error_code")) summary += ` (error ${t.errorCode})`;
  if (states("workaround")) summary += t.workaround ? `; workaround: ${t.workaround}` : "; no workaround";
  return `${summary}.`;
}
