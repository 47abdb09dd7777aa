import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{A as d,E as f,F as w,J as k,K as u,v as p}from"./shared-dfba8815.js";import"./shared-3873b879.js";import"./shared-f2ebdd36.js";import{a as y}from"./shared-74c2c633.js";import"./shared-3cb748ab.js";import{a as c}from"./shared-0a186f61.js";import"./shared-a6cb8dcb.js";import"./shared-600d4e0e.js";import"./shared-58e375dd.js";import"./shared-ad06c887.js";import{a as n,b as h}from"./shared-0ccec606.js";import"./shared-af496128.js";import{e as r}from"./shared-31cca623.js";import"./shared-5263c48d.js";import g from"node:path";var C=["status","promote","stop"],x={usage:`Usage: kaizen canary status|promote|stop --task NAME [--repo DIR] [--json]

The online canary of a task's newest candidate (the task file's \`canary:\`): status shows both
arms, the difference with its interval and the decision; stop serves every unit the active
version from now on; promote records the decision and makes the candidate active.

Example:
  kaizen canary status --task summarize_ticket
  kaizen canary stop --task summarize_ticket --json`,async run(l,i){let[e,...v]=l,{values:o}=h(v,{repo:{type:"string"},task:{type:"string"},json:{type:"boolean"}});if(!C.includes(e))throw new n(e?`unknown action "${e}": use status, promote or stop`:"say what to do: status, promote or stop");if(!o.task)throw new n("--task is required: whose canary");let t=await y.open(g.resolve(i.cwd,o.repo??".")),a=(await c(t)).tasks.find(s=>s.name===o.task);if(!a)throw new r(`task ${o.task} not found (or its file has errors): run kaizen validate`);if(!a.canary)throw new r(`task ${a.name} has no canary: add \`canary: { share: 0.1 }\` to .kaizen/tasks/${a.name}.yml`);if(await u(t,a.name),e!=="status"){let s=await f(t,a.name,a.canary,e);e==="promote"&&await k(t,p(t),a,s.candidate_version_id)}let m=await w(t,a,await t.listPromptVersions(a.name));return i.stdout.write(o.json?`${JSON.stringify(m,null,2)}
`:`${d(m)}
`),0}};export{x as canaryCommand};
