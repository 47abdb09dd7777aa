/**
 * A stateful fake of GitHub's REST API, served over real HTTP on 127.0.0.1 so that Octokit,
 * Probot and the Action (even as a child process) talk to it through `baseUrl`. Routes are
 * registered with GitHub's own templates and refused at registration when GitHub has no such
 * route; every JSON response is checked against the required fields of GitHub's schema. A
 * request that no route matches is answered 404 and recorded, and `assertClean()` fails the test.
 *
 * Later features add routes with `route()` in a module of `routes/`.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ObjectStore, type Signature } from "./git-objects.js";
import { requestBodyProblems, requiredResponseFields, routeExists } from "./openapi.js";

export interface FakeRequest {
  method: string;
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The URL the client asked for, as GitHub would see it (for `Link` headers). */
  url: URL;
  // Request bodies are JSON of any shape; handlers read the fields their route defines.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: IncomingMessage["headers"];
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: FakeRequest, github: FakeGitHub) => FakeResponse | Promise<FakeResponse>;

export interface PullRequest {
  number: number;
  title: string;
  body: string | null;
  head: string;
  /** The repository the head branch lives in, when it is a fork (`someone/fork`). */
  headRepo?: string;
  base: string;
  state: "open" | "closed";
  merged: boolean;
  /** The commit the merge made (the fake fast-forwards, so the head it merged). */
  merge_commit_sha?: string | null;
  created_at: string;
  updated_at: string;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; annotations: unknown[] };
  started_at: string;
  completed_at: string | null;
}

export interface IssueComment {
  id: number;
  issue_number: number;
  body: string;
  created_at: string;
}

export interface Issue {
  number: number;
  title: string;
  /** Login of whoever opened it: `kaizen[bot]` for the app's installation tokens. */
  user: string;
  body: string | null;
  state: "open" | "closed";
  labels: string[];
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  objects: ObjectStore;
  /** Full ref name (`refs/heads/main`) → commit sha. */
  refs: Map<string, string>;
  pulls: PullRequest[];
  issues: Issue[];
  comments: IssueComment[];
  checkRuns: CheckRun[];
  /** `POST /repos/{owner}/{repo}/dispatches` bodies, in order. */
  repositoryDispatches: { event_type: string; client_payload: unknown }[];
  /** `POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches`, in order. */
  workflowDispatches: { workflow_id: string; ref: string; inputs: Record<string, unknown> }[];
  /** GitHub login → permission on the repository (`admin`, `write`, `read`). */
  permissions: Map<string, string>;
  /** What a person is allowed to push to: branches GitHub would refuse a direct write to. */
  protectedBranches: Set<string>;
  nextNumber: number;
  /** The installation of the Kaizen App on this repository. */
  installationId: number;
  /** "Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General). */
  actionsMayCreatePullRequests: boolean;
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

interface InjectedFailure {
  key: string;
  remaining: number;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export const PERSON: Signature = {
  name: "Octo Cat",
  email: "octocat@github.com",
  date: "2026-11-23T00:00:00Z",
};
/** Path parameters that may contain '/' (refs and file paths). */
const MULTI_SEGMENT = new Set(["ref", "path"]);

export class FakeGitHub {
  readonly repos = new Map<string, RepoState>();
  /** Requests by `METHOD template`. */
  readonly counts = new Map<string, number>();
  readonly unmatched: string[] = [];
  readonly shapeErrors: string[] = [];
  /** Requests refused by a secondary rate limit. */
  secondaryLimited = 0;
  /** Requests refused by the primary rate limit (the installation's requests an hour). */
  primaryLimited = 0;
  /** Request bodies GitHub's request schema refuses (answered 422, and failing `assertClean`). */
  readonly requestErrors: string[] = [];
  /** A person's token → their login, for `GET /user`. */
  readonly userTokens = new Map<string, string>();
  /**
   * Tokens that may only read, as the `GITHUB_TOKEN` of a fork's `pull_request` workflow: every
   * write answers 403 "Resource not accessible by integration", whatever the workflow asked for.
   */
  readonly readOnlyTokens = new Set<string>();
  /**
   * Tokens that are a workflow's `GITHUB_TOKEN`: they may open a pull request only where the
   * repository allows GitHub Actions to (`RepoState.actionsMayCreatePullRequests`).
   */
  readonly actionsTokens = new Set<string>();
  /** The login GitHub shows for what the app's installation tokens create. */
  readonly appLogin = "kaizen[bot]";
  /** Added to every response, to measure clients under latency. */
  latencyMs = 0;
  /**
   * GitHub's limits, lowered by tests that must reach them cheaply. `treeEntries`: a recursive
   * tree listing with more entries comes back cut, with `truncated: true` (GitHub: 100,000
   * entries or 7 MB).
   */
  readonly limits = {
    treeEntries: 100_000,
    /** Content-creating requests (POST, PATCH, PUT, DELETE) a minute, per installation. */
    contentPerMinute: 80,
    /** The window `contentPerMinute` counts in: a minute, shortened by tests that must reach it in seconds. */
    contentWindowMs: 60_000,
    /** Content-creating requests an hour, per installation (GitHub's docs on secondary limits: 500). */
    contentPerHour: 500,
    /** The window `contentPerHour` counts in: an hour, shortened by tests that must reach it in seconds. */
    contentHourWindowMs: 3_600_000,
    /** Requests in flight at once, per installation. */
    concurrentRequests: 100,
    /** Seconds GitHub tells a client to wait after a secondary rate limit. */
    retryAfterSeconds: 60,
    /** Requests an installation (or a token) may make in `rateWindowMs` (GitHub: 5,000 an hour). */
    requestsPerHour: 5_000,
    /** The primary limit's window: an hour, shortened by tests that must see it reset. */
    rateWindowMs: 3_600_000,
    /**
     * The status of a rate limit's refusal: GitHub answers 403 or 429 for both kinds (its docs
     * on rate limits), so a client must handle either.
     */
    refusalStatus: 403 as 403 | 429,
  };
  /** Installation → times of its recent content-creating requests. */
  #contentWrites = new Map<string, number[]>();
  #inFlight = new Map<string, number>();
  #routes: Route[] = [];
  #failures: InjectedFailure[] = [];
  #server: Server;
  #baseUrl = "";
  #nextRepoId = 100_000;
  #nextId = 1;
  /** Installation → requests counted against its primary limit in the current window. */
  #rate = new Map<string, { used: number; resetAt: number }>();

  private constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    // Node closes an idle keep-alive connection after 5 s, racing a client that reuses it at
    // that moment (ECONNRESET, a 500 to the test); GitHub keeps them open far longer.
    this.#server.keepAliveTimeout = 120_000;
  }

  /** Starts the fake with every route module of `routes/` registered. */
  static async start(): Promise<FakeGitHub> {
    const github = new FakeGitHub();
    const { registerAllRoutes } = await import("./routes/index.js");
    registerAllRoutes(github);
    await new Promise<void>((resolve) => github.#server.listen(0, "127.0.0.1", resolve));
    github.#baseUrl = `http://127.0.0.1:${(github.#server.address() as AddressInfo).port}`;
    return github;
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Registers a handler under GitHub's own route template; refuses routes GitHub does not have. */
  route(method: string, template: string, handler: Handler): void {
    if (!routeExists(method, template))
      throw new Error(`GitHub has no route ${method} ${template}: the fake must not invent one`);
    const names: string[] = [];
    const source = template.replace(/\{([^}]+)\}/g, (_, name: string, offset: number) => {
      names.push(name);
      const last = offset + name.length + 2 === template.length;
      return MULTI_SEGMENT.has(name) ? (last ? "(.+)" : "(.+?)") : "([^/]+)";
    });
    this.#routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler });
  }

  nextId(): number {
    return this.#nextId++;
  }

  // ---- repositories -------------------------------------------------------------------------

  /** Creates a repository whose default branch holds `files` in one commit by a person. */
  createRepo(
    fullName: string,
    options: {
      defaultBranch?: string;
      files?: Record<string, string>;
      /** Puts the repository in an existing installation (one organization's repositories). */
      installationId?: number;
    } = {},
  ): RepoState {
    const [owner, name] = fullName.split("/") as [string, string];
    const repo: RepoState = {
      id: this.#nextRepoId++,
      owner,
      name,
      fullName,
      defaultBranch: options.defaultBranch ?? "main",
      objects: new ObjectStore(),
      refs: new Map(),
      pulls: [],
      issues: [],
      comments: [],
      checkRuns: [],
      repositoryDispatches: [],
      workflowDispatches: [],
      permissions: new Map([[owner, "admin"]]),
      protectedBranches: new Set(),
      nextNumber: 1,
      installationId: options.installationId ?? 7_000 + (this.#nextRepoId - 100_000),
      actionsMayCreatePullRequests: true,
    };
    this.repos.set(fullName, repo);
    this.commitFiles(
      fullName,
      repo.defaultBranch,
      options.files ?? { "README.md": `# ${name}\n` },
      "Initial commit",
    );
    return repo;
  }

  repo(fullName: string): RepoState {
    const repo = this.repos.get(fullName);
    if (!repo) throw new Error(`the fake has no repository ${fullName}`);
    return repo;
  }

  /**
   * Commits files (null deletes, `{ symlink: target }` makes a symbolic link) on a branch as a
   * person would push them; returns the commit.
   */
  commitFiles(
    fullName: string,
    branch: string,
    files: Record<string, string | null | { symlink: string }>,
    message: string,
    author: Signature = PERSON,
  ): string {
    const repo = this.repo(fullName);
    const parent = repo.refs.get(`refs/heads/${branch}`) ?? null;
    const current = new Map<string, { mode: string; sha: string }>();
    if (parent) {
      const commit = repo.objects.get(parent);
      if (commit?.type === "commit")
        for (const [path, entry] of repo.objects.flatten(commit.tree))
          current.set(path, { mode: entry.mode, sha: entry.sha });
    }
    for (const [path, text] of Object.entries(files)) {
      if (text === null) current.delete(path);
      else if (typeof text === "object")
        current.set(path, { mode: "120000", sha: repo.objects.putBlob(Buffer.from(text.symlink)) });
      else current.set(path, { mode: "100644", sha: repo.objects.putBlob(Buffer.from(text)) });
    }
    const tree = repo.objects.buildTree(current);
    const sha = repo.objects.putCommit({
      tree,
      parents: parent ? [parent] : [],
      message,
      author,
      committer: author,
    });
    repo.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  /** A file's text at a branch, or null. */
  readFile(fullName: string, branch: string, path: string): string | null {
    const repo = this.repo(fullName);
    const head = repo.refs.get(`refs/heads/${branch}`);
    const commit = head ? repo.objects.get(head) : undefined;
    if (commit?.type !== "commit") return null;
    const entry = repo.objects.flatten(commit.tree).get(path);
    const blob = entry ? repo.objects.get(entry.sha) : undefined;
    return blob?.type === "blob" ? blob.content.toString("utf8") : null;
  }

  /** Who a request's token belongs to: a person's login, or the app's bot login. */
  callerLogin(headers: IncomingMessage["headers"]): string {
    const token = String(headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
    return this.userTokens.get(token) ?? this.appLogin;
  }

  // ---- measurement and failure injection ----------------------------------------------------

  count(predicate: (key: string) => boolean = () => true): number {
    let total = 0;
    for (const [key, n] of this.counts) if (predicate(key)) total += n;
    return total;
  }

  resetCounts(): void {
    this.counts.clear();
  }

  /** The next `times` requests to `METHOD template` are answered with `status` instead. */
  failNext(
    method: string,
    template: string,
    times: number,
    status: number,
    body: unknown = { message: "Injected failure" },
    headers: Record<string, string> = {},
  ): void {
    this.#failures.push({ key: `${method} ${template}`, remaining: times, status, body, headers });
  }

  /** Fails the test when a client called a route GitHub does not have or got a malformed body. */
  assertClean(): void {
    const problems = [
      ...this.unmatched.map((u) => `no such route: ${u}`),
      ...this.shapeErrors,
      ...this.requestErrors,
    ];
    if (problems.length > 0) throw new Error(`the fake GitHub saw problems:\n${problems.join("\n")}`);
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));

    const match = this.#match(method, url.pathname);
    if (!match) {
      this.unmatched.push(`${method} ${url.pathname}`);
      return send(res, {
        status: 404,
        body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
      });
    }
    const key = `${method} ${match.route.template}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);

    const denied = this.#authorize(method, match.params, req.headers);
    if (denied) return send(res, denied);
    const limited = this.#secondaryLimit(method, match.params, req.headers);
    if (limited) return send(res, limited);
    const installation = this.#installationOf(match.params, req.headers);
    const rate = this.#rateOf(installation);
    if (rate.used >= this.limits.requestsPerHour) {
      // GitHub's primary limit: refused until the window resets, with the headers that say when.
      this.primaryLimited++;
      return send(res, {
        status: this.limits.refusalStatus,
        headers: this.#rateHeaders(installation),
        body: {
          message: `API rate limit exceeded for installation ID ${installation}. If you reach out to GitHub Support for help, please include the request ID.`,
          documentation_url:
            "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-primary-rate-limits",
          status: String(this.limits.refusalStatus),
        },
      });
    }
    this.#inFlight.set(installation, (this.#inFlight.get(installation) ?? 0) + 1);
    res.on("close", () => this.#inFlight.set(installation, (this.#inFlight.get(installation) ?? 1) - 1));

    const failure = this.#failures.find((f) => f.key === key && f.remaining > 0);
    if (failure) {
      failure.remaining--;
      return send(res, { status: failure.status, body: failure.body, headers: failure.headers });
    }

    let body: unknown = undefined;
    if (chunks.length > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(res, { status: 400, body: { message: "Problems parsing JSON" } });
      }
    }
    let problems: string[];
    try {
      problems = requestBodyProblems(method, match.route.template, body);
    } catch (error) {
      problems = [];
      this.shapeErrors.push(
        `${key}: the fake cannot read GitHub's request schema: ${(error as Error).message}`,
      );
    }
    if (problems.length > 0) {
      this.requestErrors.push(`${key}: the request body breaks GitHub's schema: ${problems.join("; ")}`);
      return send(res, {
        status: 422,
        body: {
          message: `Invalid request.\n\n${problems.join("\n")}`,
          documentation_url: "https://docs.github.com/rest",
        },
      });
    }
    let response: FakeResponse;
    try {
      response = await match.route.handler(
        {
          method,
          template: match.route.template,
          params: match.params,
          query: url.searchParams,
          url: new URL(`${this.#baseUrl}${req.url ?? "/"}`),
          body: body ?? {},
          headers: req.headers,
        },
        this,
      );
    } catch (error) {
      response = { status: 500, body: { message: `fake GitHub handler failed: ${(error as Error).stack}` } };
    }
    this.#checkShape(method, match.route.template, response);

    const headers: Record<string, string> = {
      "x-github-api-version-selected": "2022-11-28",
      ...response.headers,
    };
    if (method === "GET" && response.status === 200) {
      const etag = `"${createHash("sha1").update(JSON.stringify(response.body)).digest("hex")}"`;
      headers.etag = etag;
      if (req.headers["if-none-match"] === etag) {
        // Conditional requests that find nothing new cost no rate limit on GitHub.
        return send(res, { status: 304, headers: { ...headers, ...this.#rateHeaders(installation) } });
      }
    }
    rate.used++;
    send(res, { ...response, headers: { ...headers, ...this.#rateHeaders(installation) } });
  }

  /**
   * What GitHub refuses before any route runs: an installation token (`ghs_installation_<id>`)
   * sees only its installation's repositories (another one's is a 404, as GitHub hides what a
   * token cannot see), and a read-only token writes nothing (403).
   */
  #authorize(
    method: string,
    params: Record<string, string>,
    headers: IncomingMessage["headers"],
  ): FakeResponse | null {
    const token = String(headers.authorization ?? "").replace(/^(token|bearer)\s+/i, "");
    if (this.readOnlyTokens.has(token) && method !== "GET" && method !== "HEAD")
      return {
        status: 403,
        body: {
          message: "Resource not accessible by integration",
          documentation_url: "https://docs.github.com/rest",
          status: "403",
        },
      };
    const installation = /^ghs_installation_(\d+)$/.exec(token)?.[1];
    const repo = params.owner && params.repo ? this.repos.get(`${params.owner}/${params.repo}`) : undefined;
    if (installation !== undefined && repo && String(repo.installationId) !== installation)
      return {
        status: 404,
        body: { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" },
      };
    return null;
  }

  /** The installation a request counts against: the repository's, or the token's. */
  #installationOf(params: Record<string, string>, headers: IncomingMessage["headers"]): string {
    const repo = params.owner && params.repo ? this.repos.get(`${params.owner}/${params.repo}`) : undefined;
    if (repo) return String(repo.installationId);
    return String(headers.authorization ?? "anonymous");
  }

  /**
   * GitHub's secondary rate limits: too many content-creating requests a minute or an hour, or
   * too many requests at once, per installation, are refused with 403 (or 429: `refusalStatus`)
   * and `retry-after`.
   */
  #secondaryLimit(
    method: string,
    params: Record<string, string>,
    headers: IncomingMessage["headers"],
  ): FakeResponse | null {
    const installation = this.#installationOf(params, headers);
    const refusal = (): FakeResponse => ({
      status: this.limits.refusalStatus,
      headers: { "retry-after": String(this.limits.retryAfterSeconds), ...this.#rateHeaders(installation) },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        documentation_url:
          "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      },
    });
    if ((this.#inFlight.get(installation) ?? 0) >= this.limits.concurrentRequests) {
      this.secondaryLimited++;
      return refusal();
    }
    if (method === "GET" || method === "HEAD") return null;
    const now = Date.now();
    const kept = Math.max(this.limits.contentWindowMs, this.limits.contentHourWindowMs);
    const recent = (this.#contentWrites.get(installation) ?? []).filter((t) => now - t < kept);
    this.#contentWrites.set(installation, recent);
    const within = (windowMs: number) => recent.filter((t) => now - t < windowMs).length;
    if (
      within(this.limits.contentWindowMs) >= this.limits.contentPerMinute ||
      within(this.limits.contentHourWindowMs) >= this.limits.contentPerHour
    ) {
      this.secondaryLimited++;
      return refusal();
    }
    recent.push(now);
    return null;
  }

  /** The primary limit's window of an installation, started anew once it has reset. */
  #rateOf(installation: string): { used: number; resetAt: number } {
    const now = Date.now();
    let rate = this.#rate.get(installation);
    if (!rate || rate.resetAt <= now) {
      rate = { used: 0, resetAt: now + this.limits.rateWindowMs };
      this.#rate.set(installation, rate);
    }
    return rate;
  }

  #rateHeaders(installation: string): Record<string, string> {
    const rate = this.#rateOf(installation);
    const limit = this.limits.requestsPerHour;
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(Math.max(0, limit - rate.used)),
      "x-ratelimit-used": String(rate.used),
      "x-ratelimit-reset": String(Math.ceil(rate.resetAt / 1000)),
      "x-ratelimit-resource": "core",
    };
  }

  #match(method: string, pathname: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1]!)));
      return { route, params };
    }
    return null;
  }

  #checkShape(method: string, template: string, response: FakeResponse): void {
    if (response.status >= 500 || response.body === undefined) return;
    const contract = requiredResponseFields(method, template, response.status);
    if (!contract) return;
    const bodies = contract.array ? (Array.isArray(response.body) ? response.body : [null]) : [response.body];
    for (const body of bodies) {
      const missing = contract.required.filter(
        (field) => body === null || typeof body !== "object" || !(field in body),
      );
      if (missing.length > 0)
        this.shapeErrors.push(
          `${method} ${template} → ${response.status} lacks required field(s) ${missing.join(", ")}`,
        );
    }
  }
}

function send(res: ServerResponse, response: FakeResponse): void {
  const text = response.body === undefined ? "" : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    ...response.headers,
  });
  res.end(text);
}
