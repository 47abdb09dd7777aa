/**
 * Registering the GitHub App through GitHub's manifest flow: the app started without an APP_ID
 * serves a page that posts app.yml as the manifest; GitHub's redirect is exchanged against the
 * fake GitHub's `POST /app-manifests/{code}/conversions`, the credentials land in `.env`, and the
 * app starts with them on the same port, and again from `.env` after a restart.
 */
import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { startApp } from "../../src/app/main.js";
import { startSetupServer, updateEnvFile } from "../../src/app/setup.js";
import { FakeGitHub } from "../fakes/github/index.js";
import { createAppFromManifest, manifestRegistrations } from "../fakes/github/routes/app-manifests.js";

const APP_YML = parseYaml(await readFile(path.resolve(import.meta.dirname, "../../app.yml"), "utf8")) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};
const SMEE = "https://smee.io/kaizen-test-channel";

let github: FakeGitHub;
let dir: string;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  github = await FakeGitHub.start();
  dir = await mkdtemp(path.join(tmpdir(), "kaizen-setup-"));
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await github.close();
  await rm(dir, { recursive: true, force: true });
});

/** The setup server as `startApp` runs it without an APP_ID, in `dir`. */
async function startSetup(env: NodeJS.ProcessEnv = {}) {
  const setup = await startSetupServer({
    env: { GITHUB_API_URL: github.baseUrl, ...env },
    dir,
    port: 0,
    host: "127.0.0.1",
    log: () => {},
  });
  closers.push(() => setup.close());
  return new URL(setup.url);
}

/** `startApp` as `node dist/app/index.js` runs it, in `dir`; resolves with the setup link it prints. */
async function startWithoutAppId(env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  let printed!: (url: string) => void;
  const link = new Promise<string>((resolve) => (printed = resolve));
  const started = startApp(
    { GITHUB_API_URL: github.baseUrl, PORT: "0", HOST: "127.0.0.1", ...env },
    {
      cwd: dir,
      log: (line) => {
        lines.push(line);
        const url = /open (http:\/\/\S+)/.exec(line)?.[1];
        if (url) printed(url);
      },
    },
  ).then((app) => {
    closers.push(() => closeServer(app.server));
    return app;
  });
  return { url: new URL(await link), started, lines };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The manifest the page's form posts, and where it posts it. */
async function formOf(response: Response) {
  const html = await response.text();
  const action = /<form action="([^"]+)" method="post">/.exec(html)?.[1];
  const value = /<input type="hidden" name="manifest" value="([^"]*)">/.exec(html)?.[1];
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  return {
    html,
    action: action && unescape(action),
    manifest: value === undefined ? undefined : (JSON.parse(unescape(value)) as Record<string, unknown>),
  };
}

describe("registering the App from its manifest", () => {
  it("serves a page whose form posts app.yml's permissions and events, with the webhook URL, to GitHub", async () => {
    const url = await startSetup({ WEBHOOK_PROXY_URL: SMEE });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const { action, manifest, html } = await formOf(response);
    const token = url.searchParams.get("token")!;
    expect(action).toBe(`${github.baseUrl}/settings/apps/new?state=${token}`);
    expect(manifest).toMatchObject({
      name: "Kaizen",
      public: false,
      default_permissions: APP_YML.default_permissions,
      default_events: APP_YML.default_events,
      hook_attributes: { url: SMEE },
      redirect_url: `${url.origin}/setup/callback`,
    });
    expect(html).toContain(`Webhook URL: <code>${SMEE}</code>`);
  });

  it("shows each permission and event with its reason, from the comments of app.yml", async () => {
    const { html } = await formOf(await fetch(await startSetup({ WEBHOOK_PROXY_URL: SMEE })));
    const items = [...html.matchAll(/<li><code>([a-z_]+)<\/code>([^<]*)<\/li>/g)].map((m) => [m[1], m[2]]);
    const names = [...Object.keys(APP_YML.default_permissions), ...APP_YML.default_events];
    expect(items.map(([name]) => name)).toEqual(names);
    for (const [name, text] of items) expect(text, name).toMatch(/ — \S.{10,}/);
    expect(html).toContain(
      "<li><code>checks</code>: write — Report task-file validation as check runs with line annotations.</li>",
    );
    expect(html).toContain("<li><code>issues</code> — A box ticked on the dashboard issue.</li>");
  });

  it("registers under an organization with GH_ORG", async () => {
    const url = await startSetup({ WEBHOOK_PROXY_URL: SMEE, GH_ORG: "acme" });
    const { action } = await formOf(await fetch(url));
    expect(action).toMatch(new RegExp(`^${github.baseUrl}/organizations/acme/settings/apps/new\\?state=`));
  });

  it("sends the manifest to GitHub's own site for github.com, GHE.com and GitHub Enterprise Server", async () => {
    for (const [api, site] of [
      ["https://api.github.com", "https://github.com"],
      ["https://api.acme.ghe.com", "https://acme.ghe.com"],
      ["https://github.acme.example/api/v3", "https://github.acme.example"],
    ]) {
      const url = await startSetup({ WEBHOOK_PROXY_URL: SMEE, GITHUB_API_URL: api });
      const { action } = await formOf(await fetch(url));
      expect(action).toBe(`${site}/settings/apps/new?state=${url.searchParams.get("token")}`);
    }
  });

  it("shows nothing to register without the printed link's token, and says what to open", async () => {
    const url = await startSetup({ WEBHOOK_PROXY_URL: SMEE });
    const bare = await fetch(new URL("/", url));
    expect(bare.status).toBe(403);
    const page = await formOf(bare);
    expect(page.manifest).toBeUndefined();
    expect(page.html).toContain("setup link");
    const wrong = await fetch(new URL("/?token=0123456789abcdef0123456789abcdef", url));
    expect(wrong.status).toBe(403);
    const api = await fetch(new URL("/api/v1/tasks", url));
    expect(api.status).toBe(503);
    expect(await api.text()).toContain("not registered yet");
  });

  it("uses the public address the page is opened at as webhook URL, and refuses localhost without a channel", async () => {
    const url = await startSetup();
    const local = await formOf(await fetch(url));
    expect(local.manifest).toBeUndefined();
    expect(local.html).toContain("GitHub cannot deliver webhooks to");
    expect(local.html).toContain("smee.io/new");

    const proxied = await formOf(
      await fetch(url, {
        headers: { "x-forwarded-proto": "https", "x-forwarded-host": "kaizen.example.com" },
      }),
    );
    expect(proxied.manifest).toMatchObject({
      hook_attributes: { url: "https://kaizen.example.com/api/github/webhooks" },
      redirect_url: "https://kaizen.example.com/setup/callback",
    });
  });

  it("exchanges GitHub's code for the app's credentials, writes them to .env, and starts the app on the same port", async () => {
    await writeFile(path.join(dir, ".env"), "# my settings\nOPENAI_API_KEY=sk-mine\n");
    const { url, started, lines } = await startWithoutAppId({ WEBHOOK_PROXY_URL: SMEE });
    const { manifest } = await formOf(await fetch(url));
    // On github.com: the person names the app and creates it; GitHub redirects back with a code.
    const redirect = createAppFromManifest(github, JSON.stringify(manifest), {
      state: url.searchParams.get("token")!,
      name: "Kaizen for Acme",
    });
    expect(lines.join("\n")).toContain(`Webhooks will go to ${SMEE}`);
    const back = await fetch(redirect, { redirect: "manual" });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe("https://github.com/apps/kaizen-for-acme/installations/new");

    const envFile = path.join(dir, ".env");
    const written = parseEnv(await readFile(envFile, "utf8"));
    expect(written.OPENAI_API_KEY).toBe("sk-mine");
    expect(written.APP_ID).toMatch(/^\d+$/);
    expect(written.PRIVATE_KEY).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n?$/,
    );
    expect(written.WEBHOOK_SECRET).toMatch(/^fake-webhook-secret-/);
    expect(written.GITHUB_CLIENT_SECRET).toBeTruthy();
    expect((await readFile(envFile, "utf8")).startsWith("# my settings\n")).toBe(true);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const [registration] = manifestRegistrations(github);
    expect(registration?.manifest.default_permissions).toEqual(APP_YML.default_permissions);

    const { server } = await started;
    expect((server.address() as AddressInfo).port).toBe(Number(url.port));
    expect((await fetch(new URL("/healthz", url))).status).toBe(200);
    // GitHub signs deliveries with the secret it generated: the app checks them with it.
    const delivery = (secret: string, id: string) => {
      const body = JSON.stringify({ zen: "Design for failure.", hook_id: 1 });
      return fetch(new URL("/api/github/webhooks", url), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "ping",
          "x-github-delivery": id,
          "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        },
        body,
      });
    };
    expect((await delivery(written.WEBHOOK_SECRET!, "d-1")).status).toBe(200);
    expect((await delivery("another secret", "d-2")).status).toBe(400);
    github.assertClean();

    // A restart reads .env: the app starts at once, with no setup page.
    await Promise.all(closers.splice(0).map((close) => close()));
    const restartLog: string[] = [];
    const restarted = await startApp(
      { GITHUB_API_URL: github.baseUrl, PORT: "0", HOST: "127.0.0.1" },
      { cwd: dir, log: (line) => restartLog.push(line) },
    );
    closers.push(() => closeServer(restarted.server));
    expect(restartLog.join("\n")).not.toContain("Register one from app.yml");
    const port = (restarted.server.address() as AddressInfo).port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it("refuses a redirect without the page's state, and a code used twice, writing nothing", async () => {
    const url = await startSetup({ WEBHOOK_PROXY_URL: SMEE });
    const { manifest } = await formOf(await fetch(url));
    const forged = createAppFromManifest(github, JSON.stringify(manifest), { state: "someone-else" });
    const refused = await fetch(forged, { redirect: "manual" });
    expect(refused.status).toBe(403);
    expect(github.counts.get("POST /app-manifests/{code}/conversions") ?? 0).toBe(0);

    const genuine = createAppFromManifest(github, JSON.stringify(manifest), {
      state: url.searchParams.get("token")!,
    });
    // The code is spent elsewhere first (a second tab, a replay): GitHub answers 404.
    await fetch(`${github.baseUrl}/app-manifests/${new URL(genuine).searchParams.get("code")}/conversions`, {
      method: "POST",
    });
    const replay = await fetch(genuine, { redirect: "manual" });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("a code works once and for one hour");
    await expect(readFile(path.join(dir, ".env"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("refuses to start with a webhook channel that is not a URL, or without its manifest, saying which", async () => {
    const options = { env: {}, dir, port: 0, host: "127.0.0.1", log: () => {} };
    await expect(startSetupServer({ ...options, env: { WEBHOOK_PROXY_URL: "smee.io/abc" } })).rejects.toThrow(
      'WEBHOOK_PROXY_URL must be the address of a webhook channel, such as https://smee.io/abc123; got "smee.io/abc"',
    );
    const missing = path.join(dir, "nowhere/app.yml");
    await expect(startSetupServer({ ...options, manifestPath: missing })).rejects.toThrow(
      `cannot register the GitHub App: ${missing} does not exist`,
    );
  });

  it("replaces an older registration's values in .env, a key pasted over several lines included, and keeps the rest", async () => {
    const file = path.join(dir, ".env");
    await writeFile(
      file,
      'APP_ID=1\nPRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\nold\n-----END RSA PRIVATE KEY-----"\nPORT=8080\n',
    );
    await updateEnvFile(file, { APP_ID: "2", PRIVATE_KEY: "-----BEGIN KEY-----\nnew\n-----END KEY-----\n" });
    const text = await readFile(file, "utf8");
    expect(text).not.toContain("old");
    expect(parseEnv(text)).toEqual({
      PORT: "8080",
      APP_ID: "2",
      PRIVATE_KEY: "-----BEGIN KEY-----\nnew\n-----END KEY-----\n",
    });
  });

  it("app.yml is a manifest GitHub accepts: every permission and event exists", () => {
    const manifest = { ...APP_YML, url: "https://example.com", redirect_url: "https://example.com/cb" };
    expect(() =>
      createAppFromManifest(github, JSON.stringify({ ...manifest, hook_attributes: { url: SMEE } })),
    ).not.toThrow();
    expect(() =>
      createAppFromManifest(
        github,
        JSON.stringify({
          ...manifest,
          hook_attributes: { url: SMEE },
          default_permissions: { pull_request: "write" },
        }),
      ),
    ).toThrow(/pull_request is not a GitHub App permission/);
  });
});
