/**
 * Writes git objects into a repository's object directory in-process, durably: a commit of the
 * data branch is a blob or two, a few trees and a commit, and writing them here costs no git
 * process (a process forked from a server of a few hundred MB cost milliseconds of the event
 * loop each, six per commit).
 *
 * The format is git's loose object: `objects/<2 hex>/<38 hex>`, zlib-deflated
 * `<type> <size>\0<content>`, named by the sha1 of that. Durability is Kaizen's to ensure, as
 * git's `core.fsync=loose-object` would: each file is fsynced before it is renamed into place,
 * and each directory that gained an entry is fsynced after, so an object a ref points at is on
 * disk before the ref update that makes it reachable is even attempted.
 *
 * Only the fsyncs wait on the disk, and they run on libuv's threads, all of a round at once.
 * Everything else (exists, mkdir, open, write, close, rename: the page cache's work, a few
 * microseconds each) is a synchronous call: as a thread-pool round trip each, they were ~70 of
 * a commit's hops, and on a loaded machine every hop waits for a core (a single durable write
 * spent 67 ms here, its fsyncs 2 ms each).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  existsSync,
  fsync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { deflate, deflateSync } from "node:zlib";
import { gitObjectSha } from "./git-hash.js";

const deflateAsync = promisify(deflate);
const fsyncAsync = promisify(fsync);

/** Objects up to this size are deflated in place (well under a millisecond); larger ones off the loop. */
const DEFLATE_IN_PLACE_BYTES = 64 * 1024;

export interface GitObjectToWrite {
  type: "blob" | "tree" | "commit";
  content: Buffer;
}

/** Flushes a directory's entries (a rename or a new file in it) to disk. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

interface Staged {
  fd: number;
  temporary: string;
  file: string;
  dir: string;
}

export class LooseObjectWriter {
  readonly objectsDir: string;

  constructor(objectsDir: string) {
    this.objectsDir = objectsDir;
  }

  /**
   * Writes the objects (those already stored loose are left alone) and returns their shas in
   * order once every one of them is on disk.
   */
  async write(objects: readonly GitObjectToWrite[]): Promise<string[]> {
    const shas = objects.map(({ type, content }) => gitObjectSha(type, content));
    const unique = new Map(objects.map((object, i) => [shas[i]!, object]));
    const staged: Staged[] = [];
    let newDir = false;
    try {
      for (const [sha, { type, content }] of unique) {
        const dir = path.join(this.objectsDir, sha.slice(0, 2));
        const file = path.join(dir, sha.slice(2));
        if (existsSync(file)) continue;
        if (mkdirSync(dir, { recursive: true }) !== undefined) newDir = true;
        const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
        const data = raw.length <= DEFLATE_IN_PLACE_BYTES ? deflateSync(raw) : await deflateAsync(raw);
        // A unique temporary name in the same directory, so the rename is atomic: a reader
        // (or a crash) sees the whole object or none.
        const temporary = path.join(dir, `tmp_obj_${randomBytes(6).toString("hex")}`);
        staged.push({ fd: openSync(temporary, "wx", 0o444), temporary, file, dir });
        writeAll(staged.at(-1)!.fd, data);
      }
      await Promise.all(staged.map(({ fd }) => fsyncAsync(fd)));
    } catch (error) {
      for (const { fd, temporary } of staged) {
        closeSync(fd);
        rmSync(temporary, { force: true });
      }
      throw error;
    }
    const dirs = new Set<string>();
    for (const { fd, temporary, file, dir } of staged) {
      closeSync(fd);
      renameSync(temporary, file);
      dirs.add(dir);
    }
    const synced = [...dirs].map(fsyncDirectory);
    if (newDir) synced.push(fsyncDirectory(this.objectsDir));
    await Promise.all(synced);
    return shas;
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
}
