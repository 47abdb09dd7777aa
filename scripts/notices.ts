/**
 * The third-party notices of what dist/ bundles: every package esbuild put into a bundle (from
 * its metafile), with its version, its licence and the licence text the package ships. The
 * build writes them to dist/licenses.txt, and fails, naming the package, when a bundled
 * package's licence is not one the project can ship under its own MIT licence.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Metafile } from "esbuild";

/** Licences that allow bundling into an MIT-licensed program, keeping their notices. */
export const ALLOWED_LICENSES = new Set([
  "MIT",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "0BSD",
  "BlueOak-1.0.0",
  "CC0-1.0",
  "Unlicense",
  "Python-2.0",
]);

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** The package's own licence and notice files, as it ships them. */
  texts: { file: string; text: string }[];
}

/** A bundled package whose licence is missing or not on the allow-list. */
export class DisallowedLicenseError extends Error {
  override name = "DisallowedLicenseError";
}

/** The package directory (`node_modules/@scope/name`, nested ones included) of a bundled file. */
function packageDirOf(input: string): string | null {
  const parts = input.split("/");
  const last = parts.lastIndexOf("node_modules");
  if (last === -1) return null;
  const scoped = parts[last + 1]?.startsWith("@");
  return parts.slice(0, last + (scoped ? 3 : 2)).join("/");
}

function licenseOf(manifest: { license?: unknown; licenses?: unknown }): string {
  const { license, licenses } = manifest;
  if (typeof license === "string") return license;
  if (license && typeof license === "object" && "type" in license) return String(license.type);
  if (Array.isArray(licenses))
    return licenses.map((l: { type?: string }) => l.type ?? "").join(" OR ") || "UNKNOWN";
  return "UNKNOWN";
}

/**
 * Whether an SPDX expression allows shipping: `A OR B` needs one of them allowed, `A AND B`
 * both (parentheses are read loosely: the expressions npm packages use are flat).
 */
export function licenseAllowed(expression: string): boolean {
  const flat = expression.replace(/[()]/g, " ").trim();
  return flat
    .split(/\s+OR\s+/)
    .some((alternative) => alternative.split(/\s+AND\s+/).every((id) => ALLOWED_LICENSES.has(id.trim())));
}

/** Every package the metafiles' bundles hold, sorted by name then version. */
export function bundledPackages(metafiles: Metafile[], root: string): BundledPackage[] {
  const dirs = new Set<string>();
  for (const metafile of metafiles)
    for (const [file, output] of Object.entries(metafile.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        // A file esbuild read but left out entirely (tree-shaken) is not shipped.
        if (bytesInOutput === 0 || file.endsWith(".map")) continue;
        const dir = packageDirOf(input);
        if (dir) dirs.add(dir);
      }
  const packages = new Map<string, BundledPackage>();
  for (const dir of dirs) {
    // A package's own subfolder may hold a package.json of its own (a "type" marker): the
    // package is the folder whose package.json names it.
    const manifestFile = path.join(root, dir, "package.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as {
      name: string;
      version: string;
      license?: unknown;
      licenses?: unknown;
    };
    const texts = readdirSync(path.join(root, dir))
      .filter((f) => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(f))
      .sort()
      .map((f) => ({ file: f, text: readFileSync(path.join(root, dir, f), "utf8").trim() }));
    const key = `${manifest.name}@${manifest.version}`;
    if (!packages.has(key))
      packages.set(key, {
        name: manifest.name,
        version: manifest.version,
        license: licenseOf(manifest),
        texts,
      });
  }
  return [...packages.values()].sort((a, b) =>
    a.name === b.name ? a.version.localeCompare(b.version) : a.name.localeCompare(b.name),
  );
}

/** @throws DisallowedLicenseError naming every package whose licence is not allowed */
export function checkLicenses(packages: BundledPackage[]): void {
  const refused = packages.filter((p) => !licenseAllowed(p.license));
  if (refused.length > 0)
    throw new DisallowedLicenseError(
      `bundled packages whose licence is not on the allow-list (scripts/notices.ts): ${refused
        .map((p) => `${p.name}@${p.version} (${p.license})`)
        .join(", ")}`,
    );
}

/**
 * dist/licenses.txt: Kaizen's licence, then each bundled package's. Packages that ship the very
 * same text (a dozen of Microsoft's, Octokit's by the year) are listed together above it once:
 * every notice is kept, and the file is a third smaller.
 */
export function noticesText(packages: BundledPackage[], ownLicense: string): string {
  const byText = new Map<string, BundledPackage[]>();
  for (const p of packages) {
    const text =
      p.texts.length > 0
        ? p.texts.map((t) => t.text).join("\n\n")
        : `(the package ships no licence file; its package.json declares ${p.license})`;
    byText.set(text, [...(byText.get(text) ?? []), p]);
  }
  const sections = [...byText].map(
    ([text, group]) =>
      `${group.map((p) => `${p.name} ${p.version}\nLicense: ${p.license}`).join("\n")}\n\n${text}`,
  );
  return `Kaizen bundles the packages below into dist/. Their licences and notices follow Kaizen's own.\n\n${ownLicense.trim()}\n\n${sections.map((s) => `${"-".repeat(72)}\n\n${s}\n`).join("\n")}`;
}

/** Checks the bundled packages' licences and returns the notices. */
export function buildNotices(metafiles: Metafile[], root: string): string {
  const packages = bundledPackages(metafiles, root);
  checkLicenses(packages);
  const ownLicense = path.join(root, "LICENSE");
  if (!existsSync(ownLicense)) throw new Error(`${ownLicense} is missing`);
  return noticesText(packages, readFileSync(ownLicense, "utf8"));
}
