/**
 * Registering the Kaizen GitHub App through GitHub's manifest flow, when the app starts without
 * an APP_ID. The flow is Probot's (its setup app): a page posts the manifest (app.yml, with the
 * webhook URL filled in) to GitHub; the person names the app there and creates it; GitHub sends
 * the browser back with a one-hour code, which `POST /app-manifests/{code}/conversions` turns into
 * the app's id, private key and webhook secret, written to `.env`. Kaizen keeps its own copy of
 * the flow because Probot's is not exported and reads app.yml and package.json from the working
 * directory (the user's project, not Kaizen's package); see docs/decisions.md, "GitHub App".
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Octokit } from "octokit";
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { KaizenError } from "../core/errors.js";

/** What the conversion hands back, as the app reads it from its environment. */
export interface AppCredentials {
  APP_ID: string;
  PRIVATE_KEY: string;
  WEBHOOK_SECRET: string;
  GITHUB_CLIENT_ID: string;
  GITHUB_CLIENT_SECRET: string;
}

export interface SetupOptions {
  env: NodeJS.ProcessEnv;
  /** Where `.env` is written: the directory the app was started in. */
  dir: string;
  port: number;
  host: string;
  log: (line: string) => void;
  /** The manifest file (default: app.yml of Kaizen's package). */
  manifestPath?: string;
}

export interface SetupServer {
  server: Server;
  /** The link to open, with the one-time token that guards the page and the redirect. */
  url: string;
  /** Settles once GitHub's redirect has been exchanged and `.env` written. */
  registered: Promise<AppCredentials>;
  close(): Promise<void>;
}

/** Where Kaizen's webhooks are served (server.ts mounts Probot's middleware there). */
export const WEBHOOK_PATH = "/api/github/webhooks";
const CALLBACK_PATH = "/setup/callback";

/** app.yml of Kaizen's package: two levels up from src/app/, dist/app/ and dist/chunks/ alike. */
export function packageManifestPath(): string {
  return fileURLToPath(new URL("../../app.yml", import.meta.url));
}

/** Starts the setup server; resolves once it listens. */
export async function startSetupServer(options: SetupOptions): Promise<SetupServer> {
  const manifestPath = options.manifestPath ?? packageManifestPath();
  const { manifest: appYml, reasons } = readManifest(manifestPath);
  const proxy = options.env.WEBHOOK_PROXY_URL;
  if (proxy && !/^https?:\/\/[^/\s]+/.test(proxy))
    throw new KaizenError(
      `WEBHOOK_PROXY_URL must be the address of a webhook channel, such as https://smee.io/abc123; got "${proxy}"`,
    );
  const token = randomBytes(16).toString("hex");
  let settle!: { resolve: (c: AppCredentials) => void };
  const registered = new Promise<AppCredentials>((resolve) => (settle = { resolve }));
  let exchanging = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log(`setup: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) page(res, 500, "Something went wrong", escapeHtml((error as Error).message));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://setup.invalid");
    if (req.method !== "GET" || (url.pathname !== "/" && url.pathname !== CALLBACK_PATH)) {
      return page(
        res,
        503,
        "Kaizen is not registered yet",
        "This Kaizen app has no GitHub App yet: open the setup link printed in its console.",
      );
    }
    const given = url.pathname === "/" ? url.searchParams.get("token") : url.searchParams.get("state");
    if (!sameSecret(given, token)) {
      return page(
        res,
        403,
        "Open the setup link from the console",
        "This page registers a GitHub App for this Kaizen server, so it needs the link with its " +
          "one-time token that the server printed when it started (<code>/?token=…</code>).",
      );
    }
    if (url.pathname === "/") return setupPage(req, res);

    const code = url.searchParams.get("code");
    if (!code)
      return page(
        res,
        400,
        "No code from GitHub",
        "GitHub's redirect carries a <code>code</code>; this one has none.",
      );
    if (exchanging)
      return page(
        res,
        409,
        "Registration in progress",
        "This app is already being registered; wait a moment.",
      );
    exchanging = true;
    try {
      const app = await convertCode(code, options.env);
      const credentials = credentialsOf(app);
      const file = path.join(options.dir, ".env");
      await updateEnvFile(file, { ...credentials });
      options.log(`setup: registered the GitHub App "${app.name}" (id ${app.id}); wrote ${file}`);
      res.writeHead(302, { location: `${app.html_url}/installations/new`, "content-type": "text/plain" });
      res.end(`Registered. Install the app: ${app.html_url}/installations/new`);
      settle.resolve(credentials);
    } catch (error) {
      exchanging = false;
      const status = (error as { status?: number }).status;
      const refused = status === 404 || status === 422;
      page(
        res,
        refused ? 400 : 502,
        "GitHub did not register the app",
        refused
          ? `GitHub refused the code (${status}): a code works once and for one hour. ` +
              `<a href="/?token=${token}">Start the registration again</a>.`
          : `Could not reach GitHub: ${escapeHtml((error as Error).message)}. ` +
              `<a href="/?token=${token}">Try again</a>.`,
      );
    }
  }

  function setupPage(req: IncomingMessage, res: ServerResponse): void {
    const base = publicBase(req);
    const webhookUrl = options.env.WEBHOOK_PROXY_URL || `${base}${WEBHOOK_PATH}`;
    const manifest = {
      ...appYml,
      hook_attributes: { ...(appYml.hook_attributes as object | undefined), url: webhookUrl },
      redirect_url: `${base}${CALLBACK_PATH}`,
    };
    const unreachable = isLocal(new URL(webhookUrl).hostname);
    const action = `${registrationUrl(options.env)}?state=${token}`;
    const body = [
      `<p>Kaizen registers its GitHub App from a manifest: the permissions and events of <code>app.yml</code>, each with its reason. On GitHub you choose the app's name (it must be unique on GitHub) and create it; GitHub then sends you back here, and this server writes the app's id, private key and webhook secret to <code>${escapeHtml(path.join(options.dir, ".env"))}</code>.</p>`,
      `<p>Webhook URL: <code>${escapeHtml(webhookUrl)}</code></p>`,
      unreachable
        ? `<p><strong>GitHub cannot deliver webhooks to ${escapeHtml(webhookUrl)}.</strong> On your machine, create a channel at <a href="https://smee.io/new">smee.io/new</a>, restart with <code>WEBHOOK_PROXY_URL=https://smee.io/…</code>, and forward it with <code>npx smee-client --url https://smee.io/… --target http://localhost:${options.port}${WEBHOOK_PATH}</code>. On a server, open this page at its public address instead.</p>`
        : `<form action="${escapeHtml(action)}" method="post"><input type="hidden" name="manifest" value="${escapeHtml(JSON.stringify(manifest))}"><button type="submit">Register the GitHub App on GitHub</button></form>`,
      `<h2>Permissions</h2><ul>${Object.entries((appYml.default_permissions ?? {}) as Record<string, string>)
        .map(
          ([name, level]) =>
            `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(level)}${because(reasons.get(`default_permissions.${name}`))}</li>`,
        )
        .join("")}</ul>`,
      `<h2>Events</h2><ul>${((appYml.default_events ?? []) as string[])
        .map(
          (event) =>
            `<li><code>${escapeHtml(event)}</code>${because(reasons.get(`default_events.${event}`))}</li>`,
        )
        .join("")}</ul>`,
    ].join("\n");
    page(res, 200, "Register Kaizen as a GitHub App", body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}/?token=${token}`;
  return {
    server,
    url,
    registered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * app.yml parsed; a missing or broken file is named with what is wrong. The comment above each
 * permission and event is its reason, shown on the registration page beside it
 * (`default_permissions.contents` → "Git Data API writes on …").
 */
function readManifest(file: string): { manifest: Record<string, unknown>; reasons: Map<string, string> } {
  if (!existsSync(file)) throw new KaizenError(`cannot register the GitHub App: ${file} does not exist`);
  const document = parseDocument(readFileSync(file, "utf8"));
  if (document.errors.length > 0)
    throw new KaizenError(`cannot register the GitHub App: ${file}: ${document.errors[0]!.message}`);
  const parsed: unknown = document.toJS();
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new KaizenError(
      `cannot register the GitHub App: ${file} must be a mapping (name, default_permissions, …)`,
    );
  const reasons = new Map<string, string>();
  const permissions = document.get("default_permissions", true) as Node | undefined;
  // The comment above a collection's first item is attached to the collection itself.
  if (isMap(permissions))
    permissions.items.forEach((item, i) => {
      const comment =
        (isScalar(item.key) && item.key.commentBefore) || (i === 0 && permissions.commentBefore);
      if (isScalar(item.key) && comment)
        reasons.set(`default_permissions.${String(item.key.value)}`, comment.trim());
    });
  const events = document.get("default_events", true) as Node | undefined;
  if (isSeq(events))
    events.items.forEach((item, i) => {
      const comment = (isScalar(item) && item.commentBefore) || (i === 0 && events.commentBefore);
      if (isScalar(item) && comment) reasons.set(`default_events.${String(item.value)}`, comment.trim());
    });
  return { manifest: parsed as Record<string, unknown>, reasons };
}

/** " — <reason>" for a list item, or nothing when app.yml gives none. */
function because(reason: string | undefined): string {
  return reason ? ` — ${escapeHtml(reason.replace(/\s*\n\s*/g, " "))}` : "";
}

interface Conversion {
  id: number;
  name: string;
  html_url: string;
  pem: string;
  webhook_secret: string | null;
  client_id: string;
  client_secret: string;
}

async function convertCode(code: string, env: NodeJS.ProcessEnv): Promise<Conversion> {
  // No credentials: the code itself is the proof, and it works once.
  const octokit = new Octokit({
    baseUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const { data } = await octokit.request("POST /app-manifests/{code}/conversions", { code });
  return data;
}

function credentialsOf(app: Conversion): AppCredentials {
  if (!app.webhook_secret)
    throw new KaizenError(
      `GitHub registered the app ${app.html_url} without a webhook secret: set one in its settings and start with WEBHOOK_SECRET`,
    );
  return {
    APP_ID: String(app.id),
    PRIVATE_KEY: app.pem,
    WEBHOOK_SECRET: app.webhook_secret,
    GITHUB_CLIENT_ID: app.client_id,
    GITHUB_CLIENT_SECRET: app.client_secret,
  };
}

/**
 * Sets `values` in a dotenv file: lines of those keys are replaced, every other line is kept as
 * it was. Values go in double quotes with newlines as `\n` (Node's and dotenv's format); the file
 * holds a private key, so only its owner may read it.
 */
export async function updateEnvFile(file: string, values: Record<string, string>): Promise<void> {
  const existing = existsSync(file) ? (await readFile(file, "utf8")).split(/\r?\n/) : [];
  const keys = new Set(Object.keys(values));
  const kept: string[] = [];
  for (let i = 0; i < existing.length; i++) {
    const found = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(["'`]?)(.*)$/.exec(existing[i]!);
    if (!found || !keys.has(found[1]!)) {
      kept.push(existing[i]!);
      continue;
    }
    // An old value quoted over several lines (a pasted PEM) goes with its line.
    const [, , quote, rest] = found;
    if (quote && !rest!.includes(quote)) while (i + 1 < existing.length && !existing[++i]!.includes(quote));
  }
  while (kept.length > 0 && kept.at(-1) === "") kept.pop();
  const lines = Object.entries(values).map(([key, value]) => `${key}="${value.replace(/\r?\n/g, "\\n")}"`);
  await writeFile(file, [...kept, ...lines, ""].join("\n"), { mode: 0o600 });
  await chmod(file, 0o600);
}

/** GitHub's page that registers an app from a manifest (an organization's with GH_ORG). */
function registrationUrl(env: NodeJS.ProcessEnv): string {
  const api = new URL(env.GITHUB_API_URL ?? "https://api.github.com");
  // api.github.com serves github.com (api.acme.ghe.com, acme.ghe.com); GitHub Enterprise Server
  // serves its API on its own host, under /api/v3.
  const web = api.hostname.startsWith("api.") ? `${api.protocol}//${api.host.slice(4)}` : api.origin;
  return env.GH_ORG
    ? `${web}/organizations/${encodeURIComponent(env.GH_ORG)}/settings/apps/new`
    : `${web}/settings/apps/new`;
}

/** The address the person opened this page at, as a proxy in front of the server reports it. */
function publicBase(req: IncomingMessage): string {
  const first = (value: string | string[] | undefined) =>
    String(value ?? "")
      .split(",")[0]!
      .trim();
  const proto = first(req.headers["x-forwarded-proto"]) || "http";
  const host = first(req.headers["x-forwarded-host"]) || req.headers.host || "localhost";
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

function isLocal(hostname: string): boolean {
  return (
    /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i.test(hostname) || hostname.endsWith(".localhost")
  );
}

function sameSecret(given: string | null, expected: string): boolean {
  if (given === null || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      `<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .2em}</style>` +
      `</head><body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>`,
  );
}
