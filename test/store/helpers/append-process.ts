/** A separate OS process that appends feedback: `append-process.ts DIR WHO COUNT BATCH`. */
import { LocalGitStore } from "../../../src/store/local-git-store.js";
import { feedbackBatch } from "../../helpers/records.js";

const [dir, who, count, batch] = process.argv.slice(2);
const store = await LocalGitStore.open(dir!);
const all = feedbackBatch("summarize", who === "a" ? 0 : 100_000, Number(count));
for (let i = 0; i < all.length; i += Number(batch)) {
  await store.appendFeedback("summarize", all.slice(i, i + Number(batch)), { retentionLimit: 100_000 });
}
