import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{c as u}from"./shared-c4b32eed.js";import{c as w,d as k}from"./shared-b182097d.js";import{B as p,I as d,J as f}from"./shared-f2ebdd36.js";import"./shared-31475239.js";import"./shared-7ca3570a.js";import{a as y}from"./shared-af98eda6.js";import{a as n,b as h}from"./shared-0ccec606.js";import{a as c}from"./shared-156d1646.js";import"./shared-21499a1d.js";import"./shared-e24632c5.js";import"./shared-42372217.js";import{e as r}from"./shared-dc7d4f56.js";import"./shared-d4a56c05.js";import g from"node:path";var C=["status","promote","stop"],x={usage:`Usage: kaizen canary status|promote|stop --task NAME [--repo DIR] [--json]

The online canary of a task's newest candidate (the task file's \`canary:\`): status shows both
arms, the difference with its interval and the decision; stop serves every unit the active
version from now on; promote records the decision and makes the candidate active.

Example:
  kaizen canary status --task summarize_ticket
  kaizen canary stop --task summarize_ticket --json`,async run(l,i){let[e,...v]=l,{values:o}=h(v,{repo:{type:"string"},task:{type:"string"},json:{type:"boolean"}});if(!C.includes(e))throw new n(e?`unknown action "${e}": use status, promote or stop`:"say what to do: status, promote or stop");if(!o.task)throw new n("--task is required: whose canary");let t=await y.open(g.resolve(i.cwd,o.repo??".")),a=(await c(t)).tasks.find(s=>s.name===o.task);if(!a)throw new r(`task ${o.task} not found (or its file has errors): run kaizen validate`);if(!a.canary)throw new r(`task ${a.name} has no canary: add \`canary: { share: 0.1 }\` to .kaizen/tasks/${a.name}.yml`);if(await f(t,a.name),e!=="status"){let s=await w(t,a.name,a.canary,e);e==="promote"&&await d(t,p(t),a,s.candidate_version_id)}let m=await k(t,a,await t.listPromptVersions(a.name));return i.stdout.write(o.json?`${JSON.stringify(m,null,2)}
`:`${u(m)}
`),0}};export{x as canaryCommand};
