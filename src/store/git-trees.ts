/**
 * Git's tree objects, read and built in-process: a commit's new trees are computed from its
 * parent's (read through `git cat-file --batch`) and the changed paths, instead of a private
 * index and three git processes per commit.
 */
import { gitObjectSha } from "./git-hash.js";

export const BLOB_MODE = "100644";
export const TREE_MODE = "40000";
export const SYMLINK_MODE = "120000";
/** A submodule's entry: a commit of another repository, not a file of this one. */
export const GITLINK_MODE = "160000";

export interface TreeEntry {
  mode: string;
  name: string;
  sha: string;
}

/** A tree object's entries, in order: `<mode> <name>\0<20-byte sha>` each. */
export function parseTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space);
    entries.push({
      mode: content.toString("latin1", at, space),
      name: content.toString("utf8", space + 1, nul),
      sha: content.toString("hex", nul + 1, nul + 21),
    });
    at = nul + 21;
  }
  return entries;
}

/**
 * A tree object's content, its entries in git's order: by name as bytes, a subtree's name
 * compared as if it ended in '/' (git fsck flags any other order).
 */
export function serializeTree(entries: readonly TreeEntry[]): Buffer {
  const keyed = entries.map((entry) => ({
    entry,
    key: Buffer.from(entry.mode === TREE_MODE ? `${entry.name}/` : entry.name, "utf8"),
  }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat(
    keyed.flatMap(({ entry }) => [
      Buffer.from(`${entry.mode} ${entry.name}\0`, "utf8"),
      Buffer.from(entry.sha, "hex"),
    ]),
  );
}

/** A tree to store: its id, its content, and its entries (kept by the reader's cache). */
export interface NewTree {
  sha: string;
  content: Buffer;
  entries: TreeEntry[];
}

/**
 * The root tree of `root` with `changes` applied (path → blob sha, or null to delete), and every
 * tree that changed on the way, to be written. As `git write-tree` does, a directory left empty
 * disappears, and a directory no change touches is reused as it is (never read).
 */
export async function editTree(
  root: readonly TreeEntry[],
  changes: ReadonlyMap<string, string | null>,
  readTree: (sha: string) => Promise<TreeEntry[]>,
): Promise<{ root: NewTree; trees: NewTree[] }> {
  const trees: NewTree[] = [];
  const make = (entries: TreeEntry[]): NewTree => {
    const content = serializeTree(entries);
    return { sha: gitObjectSha("tree", content), content, entries };
  };
  const edit = async (
    entries: readonly TreeEntry[],
    edits: ReadonlyMap<string, string | null>,
  ): Promise<TreeEntry[]> => {
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    const below = new Map<string, Map<string, string | null>>();
    for (const [file, sha] of edits) {
      const slash = file.indexOf("/");
      if (slash === -1) {
        if (sha === null) byName.delete(file);
        else byName.set(file, { mode: BLOB_MODE, name: file, sha });
        continue;
      }
      const dir = file.slice(0, slash);
      const inDir = below.get(dir) ?? new Map<string, string | null>();
      inDir.set(file.slice(slash + 1), sha);
      below.set(dir, inDir);
    }
    await Promise.all(
      [...below].map(async ([dir, inDir]) => {
        const existing = byName.get(dir);
        const base = existing?.mode === TREE_MODE ? await readTree(existing.sha) : [];
        const edited = await edit(base, inDir);
        if (edited.length === 0) return void byName.delete(dir);
        const tree = make(edited);
        if (existing?.mode === TREE_MODE && existing.sha === tree.sha) return;
        trees.push(tree);
        byName.set(dir, { mode: TREE_MODE, name: dir, sha: tree.sha });
      }),
    );
    return [...byName.values()];
  };
  const rootTree = make(await edit(root, changes));
  return { root: rootTree, trees: [...trees, rootTree] };
}
