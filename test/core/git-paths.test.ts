/**
 * The path rules of src/core/git-paths.ts, against the spellings git's own `verify_path`,
 * `is_hfs_dotgit` and `is_ntfs_dotgit` fold to `.git` (and what a real checkout refuses is
 * proven in test/app/git-paths.test.ts with a real `git clone`).
 */
import { describe, expect, it } from "vitest";
import { entryInTheWay, gitPathProblem, writablePathProblem } from "../../src/core/git-paths.js";

const DOT_GIT_SPELLINGS = [
  ".git/config",
  ".GIT/config",
  "sub/.Git/hooks/pre-commit",
  ".g\u200cit/hooks/post-checkout",
  ".g\u200dit/x",
  ".\u200egit/x",
  ".gi\u200ft/x",
  ".git\u202a/x",
  ".g\u202eit/x",
  "\u206a.git/x",
  ".git\u206f/x",
  "\ufeff.git/x",
  "GIT~1/config",
  "git~1/config",
  ".git./x",
  ".git /x",
  ".git. . ./x",
  ".git::$INDEX_ALLOCATION/x",
  "a/.git\\hooks/x",
];

describe("gitPathProblem: what git refuses at checkout", () => {
  it.each(DOT_GIT_SPELLINGS)("refuses %j, a spelling of .git", (path) => {
    expect(gitPathProblem(path)).toMatch(/treat as \.git/);
  });

  it("refuses a segment over 255 bytes and a path over 4,096 bytes, counted in UTF-8", () => {
    expect(gitPathProblem(`prompts/${"a".repeat(255)}`)).toBeNull();
    expect(gitPathProblem(`prompts/${"a".repeat(256)}`)).toMatch(/segment of 256 bytes/);
    expect(gitPathProblem(`prompts/${"é".repeat(128)}`)).toMatch(/segment of 256 bytes/);
    const deep = Array.from({ length: 18 }, () => "d".repeat(240)).join("/");
    expect(gitPathProblem(deep)).toMatch(/over 4096/);
  });

  it.each(["prompts/summarize.md", "prompts/.gitkeep", "a/gitignore.md", "ünïcode/π.md", "a/b~1.md"])(
    "lets git's valid path %j through",
    (path) => expect(gitPathProblem(path)).toBeNull(),
  );
});

describe("writablePathProblem: what Kaizen writes for a user", () => {
  it.each([
    ...DOT_GIT_SPELLINGS,
    ".gitmodules",
    ".GitModules",
    ".gitmodules.",
    "GITMOD~1",
    "gi7eba~1",
    ".gitattributes",
    "sub/.gitignore",
    ".g\u200citignore",
    ".mailmap",
    ".github/workflows/x.yml",
    ".GitHub/workflows/x.yml",
    "GITHUB~1/workflows/x.yml",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    ".travis.yml",
    "Jenkinsfile",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".buildkite/pipeline.yml",
    ".husky/pre-commit",
    ".pre-commit-config.yaml",
    ".devcontainer/devcontainer.json",
    ".vscode/tasks.json",
    ".envrc",
    ".kaizen/config.yml",
    ".kaizen/config.yaml",
    ".kaizen/tasks/other.yml",
    ".Kaizen/Tasks/other.yml",
    "prompts/a:b.md",
    "prompts/a.md.",
    "prompts/a.md ",
    "prompts/con.md",
    "LPT1",
    "a\\b.md",
  ])("refuses %j", (path) => {
    expect(writablePathProblem(path)).not.toBeNull();
  });

  it.each(["prompts/summarize.md", ".kaizen/prompts/a.md", "src/prompts/system.txt", "docs/github-notes.md"])(
    "accepts %j",
    (path) => expect(writablePathProblem(path)).toBeNull(),
  );
});

describe("entryInTheWay", () => {
  it("names the entry that keeps a path from being a new file", () => {
    const typeAt = new Map([
      ["src", "tree"],
      ["src/app.py", "blob"],
      ["lib", "commit"],
    ]);
    expect(entryInTheWay("src/new.md", typeAt)).toBeNull();
    expect(entryInTheWay("src/app.py", typeAt)).toBe("src/app.py");
    expect(entryInTheWay("src", typeAt)).toBe("src");
    expect(entryInTheWay("src/app.py/x.md", typeAt)).toBe("src/app.py");
    expect(entryInTheWay("lib/x.md", typeAt)).toBe("lib");
  });
});
