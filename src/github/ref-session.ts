/**
 * Read-your-writes for one short run (an Action run): a branch this client has read or moved
 * is known from then on without asking GitHub again. It is safe because every write Kaizen
 * makes on a shared branch is a compare-and-swap (`PATCH …/git/refs` without force, `POST
 * …/git/refs` for a new one): a write from a stale head is refused, the refusal makes the
 * client forget the branch, and the retry reads it fresh. Reads in between see the repository
 * as of this run's own last read or write, which for a run is what it just did. A long-lived
 * process (the app) must not use it: it would keep serving its own last view.
 */
import type { Octokit } from "octokit";

const READ = "/repos/{owner}/{repo}/git/ref/{ref}";
const CREATE = "/repos/{owner}/{repo}/git/refs";
const MOVE = "/repos/{owner}/{repo}/git/refs/{ref}";

type Options = Record<string, unknown> & { method: string; url: string };

/** `refs/heads/x` and `heads/x` name one branch. */
function keyOf(options: Options): string {
  const ref = String(options.ref).replace(/^refs\//, "");
  return `${String(options.owner).toLowerCase()}/${String(options.repo).toLowerCase()} ${ref}`;
}

function refCall(options: Options): "read" | "write" | "delete" | null {
  if (options.method === "GET" && options.url === READ) return "read";
  if (
    (options.method === "POST" && options.url === CREATE) ||
    (options.method === "PATCH" && options.url === MOVE)
  )
    return "write";
  if (options.method === "DELETE" && options.url === MOVE) return "delete";
  return null;
}

/**
 * @example
 * installRefSession(octokit); // in createGitHubClient({ session: true }), for one Action run
 */
export function installRefSession(octokit: Pick<Octokit, "hook">) {
  const known = new Map<string, unknown>();
  octokit.hook.wrap("request", async (request, options) => {
    const call = refCall(options);
    if (call === null) return request(options);
    const key = keyOf(options);
    if (call === "read") {
      const seen = known.get(key);
      if (seen !== undefined) return seen as Awaited<ReturnType<typeof request>>;
    }
    try {
      const response = await request(options);
      // GitHub answers a creation or a move with the ref as a read would show it.
      if (call === "delete") known.delete(key);
      else known.set(key, { ...response, status: 200 });
      return response;
    } catch (error) {
      // A refused write (lost race, protected branch) or a failed read: ask GitHub next time.
      known.delete(key);
      throw error;
    }
  });
  return {
    /** Forgets what this run has seen: every branch is read from GitHub again. */
    forget(): void {
      known.clear();
    },
  };
}
