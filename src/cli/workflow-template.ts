/**
 * The workflow `kaizen init` writes: plan the due tasks, then one runner per task (README,
 * "Optimize in GitHub Actions"); and on a pull request, the check "Kaizen: prompt evaluation"
 * of any task's prompt file it changes, within a cost cap.
 */
export const KAIZEN_WORKFLOW = `name: Kaizen
on:
  schedule:
    - cron: "17 3 * * *"
  workflow_dispatch:
    inputs:
      task: { type: string, required: false }
      job-id: { type: string, required: false }
  repository_dispatch:
    types: [kaizen-optimize]
  pull_request:
    types: [opened, synchronize, reopened]
permissions:
  contents: write
  pull-requests: write
  issues: write
jobs:
  plan:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    outputs:
      tasks: \${{ steps.plan.outputs.tasks }}
    steps:
      - id: plan
        uses: kaizen/optimize@v1
        with: { mode: plan }
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
