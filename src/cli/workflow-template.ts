/**
 * The one workflow a team copies: `kaizen init` writes it and README shows it (a test keeps the
 * two equal). A `plan` job lists the due tasks, then one runner per task; on a pull request that
 * edits a task's prompt file or `.kaizen/`, the check "Kaizen: prompt evaluation" within a cost
 * cap, and on no other pull request (the `paths:` filter: an evaluation costs model calls).
 */

/** The task README's workflow is written for. */
export const README_PROMPT_PATHS: readonly string[] = ["prompts/summarize_ticket.md"];

/**
 * A path as a literal in GitHub's filter patterns, where `*`, `?`, `+`, `[`, `]` and a leading
 * `!` have meanings; quoted as a YAML (JSON) string.
 */
function literalPattern(path: string): string {
  return JSON.stringify(path.replace(/[*?+[\]\\]/g, "\\$&").replace(/^!/, "\\!"));
}

/**
 * @example kaizenWorkflow(["prompts/summarize_ticket.md"]) // the workflow of README.md
 */
export function kaizenWorkflow(promptPaths: readonly string[]): string {
  const paths = ['".kaizen/**"', ...[...new Set(promptPaths)].map(literalPattern)]
    .map((pattern) => `      - ${pattern}\n`)
    .join("");
  return `name: Kaizen
on:
  schedule:
    - cron: "17 3 * * *" # daily; avoid the top of the hour
  workflow_dispatch: # the Kaizen app dispatches with task and job-id; "Run workflow" may force
    inputs:
      task: { type: string, required: false }
      job-id: { type: string, required: false }
      force:
        type: boolean
        default: false
        description: Optimize the named task even below its threshold
  repository_dispatch:
    types: [kaizen-optimize] # client_payload: { "task": "...", "job_id": "..." }
  pull_request: # the check "Kaizen: prompt evaluation", on pull requests that edit a prompt
    types: [opened, synchronize, reopened]
    paths: # .kaizen/ and every task's prompt_path
${paths}permissions:
  contents: write # the data branch and kaizen/<task> branches
  pull-requests: write # the prompt pull request
  issues: write # the dashboard issue
jobs:
  plan:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    outputs:
      tasks: \${{ steps.plan.outputs.tasks }}
    steps:
      - id: plan
        uses: kaizen/optimize@v1 # until it is published: <owner>/kaizen@<commit sha> (README)
        with:
          mode: plan
          force: \${{ inputs.force }}
  optimize:
    needs: plan
    if: needs.plan.outputs.tasks != '[]'
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        task: \${{ fromJSON(needs.plan.outputs.tasks) }}
    steps:
      - uses: kaizen/optimize@v1
        with:
          task: \${{ matrix.task }}
          force: \${{ inputs.force }}
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
  evaluate:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: read
      checks: write
    steps:
      - uses: kaizen/optimize@v1
        with:
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
          max-cost-usd: "0.50"
`;
}

/** README's workflow; the tests' repositories use it as a team's `.github/workflows/kaizen.yml`. */
export const KAIZEN_WORKFLOW = kaizenWorkflow(README_PROMPT_PATHS);
