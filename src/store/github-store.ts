/** The Store over a GitHub repository: RepoStore on the Git Data API. What the app and the Action use. */
import type { Octokit } from "octokit";
import { GitHubBackend, type GitHubBackendOptions, type GitHubRepoRef } from "./github-backend.js";
import { RepoStore, type RepoStoreOptions } from "./repo-store.js";

export class GitHubStore extends RepoStore {
  readonly repo: GitHubRepoRef;
  /** The client the store writes with (the app's installation token), for related requests. */
  readonly client: Pick<Octokit, "request">;

  /**
   * @example
   * const store = new GitHubStore(createGitHubClient({ auth: token }), { owner: "acme", repo: "support-bot" });
   */
  constructor(
    octokit: Pick<Octokit, "request">,
    repo: GitHubRepoRef,
    options: RepoStoreOptions & GitHubBackendOptions = {},
  ) {
    super(new GitHubBackend(octokit, repo, options), options);
    this.repo = repo;
    this.client = octokit;
  }
}
