/**
 * Renders every body Kaizen writes to GitHub (the pull request report in its cases, the
 * "Kaizen: prompt evaluation" check run, the dashboard issue) the way GitHub shows it: GFM by
 * `marked`, GitHub's CSS (`github-markdown-css`), Mermaid in the page, alerts styled; then
 * screenshots each at 1280 px wide, light and dark, in headless Chromium, in tiles a person can
 * read. Not part of CI: run it after changing a renderer, and look at the PNGs.
 *
 *   apt-get install -y chromium          # once
 *   npx tsx scripts/render-report.ts [out-dir]   # default: $TMPDIR/kaizen-render
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { marked } from "marked";
import { renderedBodies } from "../test/report/bodies.js";

const require = createRequire(import.meta.url);
const css = (name: string) => readFileSync(require.resolve(`github-markdown-css/${name}`), "utf8");
const mermaidJs = pathToFileURL(require.resolve("mermaid/dist/mermaid.min.js")).href;
const TILE = 1400;
const TILES = 4;

const ALERT_COLOURS = { light: "#9a6700", dark: "#d29922" };

function page(markdown: string, theme: "light" | "dark", offset: number): string {
  const html = marked
    .parse(markdown, { gfm: true, async: false })
    // GitHub turns ```mermaid into a diagram, and "> [!WARNING]" into an alert.
    .replace(
      /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
      (_, code: string) =>
        `<pre class="mermaid">${code
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&")}</pre>`,
    )
    .replace(
      /<blockquote>\n<p>\[!WARNING\]\n?/g,
      `<blockquote class="alert"><p><strong style="color:${ALERT_COLOURS[theme]}">⚠ Warning</strong><br>`,
    );
  const background = theme === "light" ? "#ffffff" : "#0d1117";
  return `<!doctype html><html><head><meta charset="utf-8">
<style>${css(theme === "light" ? "github-markdown-light.css" : "github-markdown-dark.css")}</style>
<style>
  body { background: ${background}; margin: 0; }
  .markdown-body { box-sizing: border-box; max-width: 1012px; margin: 0 auto; padding: 24px 32px; margin-top: -${offset}px; }
  .markdown-body blockquote.alert { border-left-color: ${ALERT_COLOURS[theme]}; color: inherit; }
  pre.mermaid { background: transparent; }
</style>
<script src="${mermaidJs}"></script>
<script>mermaid.initialize({ startOnLoad: true, theme: "${theme === "light" ? "default" : "dark"}" });</script>
</head><body><article class="markdown-body">${html}</article></body></html>`;
}

function screenshot(htmlFile: string, png: string): void {
  const profile = mkdtempSync(path.join(tmpdir(), "kaizen-chromium-"));
  try {
    execFileSync(
      "chromium",
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        `--user-data-dir=${profile}`,
        "--hide-scrollbars",
        "--virtual-time-budget=3000",
        `--window-size=1280,${TILE}`,
        `--screenshot=${png}`,
        pathToFileURL(htmlFile).href,
      ],
      { stdio: "ignore", timeout: 120_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const out = process.argv[2] ?? path.join(tmpdir(), "kaizen-render");
mkdirSync(out, { recursive: true });
const only = process.argv[3];
for (const { name, markdown } of renderedBodies()) {
  if (only && !name.includes(only)) continue;
  writeFileSync(path.join(out, `${name}.md`), markdown);
  // A rough height, to skip tiles that would be empty.
  const tiles = Math.min(TILES, Math.ceil((markdown.split("\n").length * 24) / TILE) || 1);
  for (const theme of ["light", "dark"] as const)
    for (let tile = 0; tile < tiles; tile++) {
      const html = path.join(out, `${name}-${theme}-${tile + 1}.html`);
      writeFileSync(html, page(markdown, theme, tile * TILE));
      screenshot(html, path.join(out, `${name}-${theme}-${tile + 1}.png`));
      console.log(path.join(out, `${name}-${theme}-${tile + 1}.png`));
    }
}
