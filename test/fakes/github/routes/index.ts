/** Every route module of the fake; a new area of the API is one module and one line here. */
import type { FakeGitHub } from "../server.js";
import { registerActionRoutes } from "./actions.js";
import { registerAppManifestRoutes } from "./app-manifests.js";
import { registerAppRoutes } from "./apps.js";
import { registerCheckRoutes } from "./checks.js";
import { registerContentsRoutes } from "./contents.js";
import { registerGitRoutes } from "./git.js";
import { registerIssueRoutes } from "./issues.js";
import { registerPullRoutes } from "./pulls.js";
import { registerRepoRoutes } from "./repos.js";

export function registerAllRoutes(github: FakeGitHub): void {
  registerAppRoutes(github);
  registerRepoRoutes(github);
  registerGitRoutes(github);
  registerContentsRoutes(github);
  registerPullRoutes(github);
  registerIssueRoutes(github);
  registerCheckRoutes(github);
  registerActionRoutes(github);
  registerAppManifestRoutes(github);
}
