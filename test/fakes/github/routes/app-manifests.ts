/**
 * GitHub's manifest flow: a person posts an app manifest to github.com, names the app and creates
 * it (`createAppFromManifest` plays that page); GitHub redirects with a code that
 * `POST /app-manifests/{code}/conversions` exchanges, once and within an hour, for the app's id,
 * private key and webhook secret. The fake refuses the manifests GitHub would refuse.
 */
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import type { FakeGitHub } from "../server.js";
import { exampleResponse } from "../openapi.js";

interface Registration {
  manifest: Manifest;
  name: string;
  owner: string;
  issuedAt: number;
  used: boolean;
}

interface Manifest {
  name?: string;
  url?: string;
  description?: string;
  hook_attributes?: { url?: string; active?: boolean };
  redirect_url?: string;
  public?: boolean;
  default_permissions?: Record<string, string>;
  default_events?: string[];
}

/** What each fake knows of the manifest flow, kept beside it rather than in FakeGitHub. */
const codes = new WeakMap<FakeGitHub, Map<string, Registration>>();
const CODE_LIFETIME_MS = 3_600_000;

/** The apps the person created through the manifest flow, newest last. */
export function manifestRegistrations(github: FakeGitHub): Registration[] {
  return [...(codes.get(github)?.values() ?? [])];
}

/**
 * What github.com does when a person submits the manifest form and clicks "Create GitHub App":
 * checks the manifest as GitHub does, and returns the redirect GitHub sends the browser to
 * (`redirect_url?code=…&state=…`). Throws with GitHub's reason when it would refuse.
 */
export function createAppFromManifest(
  github: FakeGitHub,
  manifestJson: string,
  options: { state?: string; name?: string; owner?: string } = {},
): string {
  const manifest = JSON.parse(manifestJson) as Manifest;
  const problems = manifestProblems(manifest);
  const name = options.name ?? manifest.name;
  if (!name) problems.push("the app needs a name");
  if (problems.length > 0) throw new Error(`GitHub refuses the manifest: ${problems.join("; ")}`);
  const code = `manifest-code-${github.nextId()}`;
  const registrations = codes.get(github) ?? new Map<string, Registration>();
  codes.set(github, registrations);
  registrations.set(code, {
    manifest,
    name: name!,
    owner: options.owner ?? "octocat",
    issuedAt: Date.now(),
    used: false,
  });
  const redirect = new URL(manifest.redirect_url!);
  redirect.searchParams.set("code", code);
  if (options.state !== undefined) redirect.searchParams.set("state", options.state);
  return redirect.toString();
}

function manifestProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const isHttpUrl = (value: unknown) => typeof value === "string" && /^https?:\/\/[^/\s]+/.test(value);
  if (!isHttpUrl(manifest.url)) problems.push("url (the app's homepage) must be a URL");
  if (!isHttpUrl(manifest.hook_attributes?.url)) problems.push("hook_attributes.url must be a URL");
  if (!isHttpUrl(manifest.redirect_url)) problems.push("redirect_url must be a URL");
  const schemas = spec().components.schemas["app-permissions"]!.properties!;
  for (const [permission, level] of Object.entries(manifest.default_permissions ?? {})) {
    const known = schemas[permission];
    if (!known) problems.push(`default_permissions.${permission} is not a GitHub App permission`);
    else if (!known.enum?.includes(level))
      problems.push(`default_permissions.${permission} must be one of ${known.enum?.join(", ")}`);
  }
  const events = new Set(webhookEvents());
  for (const event of manifest.default_events ?? [])
    if (!events.has(event)) problems.push(`default_events: ${event} is not a webhook event`);
  return problems;
}

export function registerAppManifestRoutes(github: FakeGitHub): void {
  github.route("POST", "/app-manifests/{code}/conversions", ({ params }) => {
    const registration = codes.get(github)?.get(params.code!);
    if (!registration || registration.used || Date.now() - registration.issuedAt > CODE_LIFETIME_MS)
      return {
        status: 404,
        body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/apps/apps" },
      };
    registration.used = true;
    const { manifest } = registration;
    const id = github.nextId() + 900_000;
    const slug = registration.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const body = exampleResponse("POST", "/app-manifests/{code}/conversions", 201);
    Object.assign(body, {
      id,
      slug,
      name: registration.name,
      description: manifest.description ?? "",
      external_url: manifest.url,
      html_url: `https://github.com/apps/${slug}`,
      permissions: manifest.default_permissions ?? {},
      events: manifest.default_events ?? [],
      client_id: `Iv1.fake${id}`,
      client_secret: `fake-client-secret-${id}`,
      webhook_secret: `fake-webhook-secret-${id}`,
      pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    });
    return { status: 201, body };
  });
}

type PermissionSchema = { enum?: string[] };
let loaded: { components: { schemas: Record<string, { properties?: Record<string, PermissionSchema> }> } };
function spec(): typeof loaded {
  loaded ??= createRequire(import.meta.url)("@octokit/openapi/generated/api.github.com.json");
  return loaded;
}

function webhookEvents(): string[] {
  const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string }[];
  return examples.map((e) => e.name);
}
