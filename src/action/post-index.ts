/** The Action's post step (dist/action/post.js). */
import { runPost } from "./post.js";

await runPost();
