import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{a as u,b as h}from"./shared-6b948a2e.js";import{J as c,t as m,v as l}from"./shared-31475239.js";import"./shared-7ca3570a.js";import{a as k}from"./shared-af98eda6.js";import{a as E}from"./shared-2eb97a13.js";import{a as w,b as f,c as g}from"./shared-0ccec606.js";import"./shared-156d1646.js";import"./shared-21499a1d.js";import"./shared-e24632c5.js";import"./shared-42372217.js";import{a as d}from"./shared-dc7d4f56.js";import"./shared-d4a56c05.js";import{readFile as I}from"node:fs/promises";import r from"node:path";var S={usage:`Usage: kaizen eval --task NAME [--prompt FILE] [--repo DIR] [--dry-run] [--max-cost-usd X]

Scores the task's prompt file as it stands in the working tree (or FILE) against the active
prompt (the file on the default branch), on held-out logged feedback from the kaizen/data
branch, with the task's evaluator and the same paired test as kaizen optimize. Prints the report
a pull request would get. Exits 0 whatever the verdict; 1 only on an error.
Models are reached through OPENAI_API_KEY and OPENAI_BASE_URL (any OpenAI-compatible server).

Options:
  --task NAME         the task (.kaizen/tasks/NAME.yml)
  --prompt FILE       the edited prompt file (default: the task's prompt_path in the working tree)
  --repo DIR          the repository (default: the current directory)
  --dry-run           print what the evaluation would cost at most; call no model
  --max-cost-usd X    spend at most X US dollars (below the task's cost_budget)

Example:
  OPENAI_API_KEY=sk-... kaizen eval --task summarize_ticket --max-cost-usd 0.50`,async run(v,e){let{values:t}=f(v,{task:{type:"string"},prompt:{type:"string"},repo:{type:"string"},"dry-run":{type:"boolean"},"max-cost-usd":{type:"string"}});if(!t.task)throw new w("--task is required: which task's prompt to evaluate");let y=t["max-cost-usd"]===void 0?null:g("max-cost-usd",t["max-cost-usd"],0,1e-6),s=r.resolve(e.cwd,t.repo??"."),n=await k.open(s),{config:x}=await c(n,t.task),a=t.prompt?r.resolve(e.cwd,t.prompt):r.join(s,x.prompt_path),b=await I(a,"utf8").catch(p=>{throw new d(`cannot read the prompt file ${a}: ${p.code??p.message}`)}),$=E(e),i={store:n,task:t.task,fileText:b,maxCostUsd:y,baseURL:e.env.OPENAI_BASE_URL},o=await u(i);if(e.stderr.write(`${$("bold",`eval ${t.task}`)}: ${a} against the active prompt on ${o.heldOut} held-out examples; at most $${o.worstCaseUsd.toFixed(4)}${o.budgetUsd===null?"":` (cap $${o.budgetUsd.toFixed(2)})`}
`),t["dry-run"])return e.stdout.write(`${o.skip?`Nothing would be measured: ${o.skip}.
`:""}Dry run: no model was called, nothing was written.
`),0;let A=await h({...i,endpoint:l(e.env),cacheDir:m(e.env)});return e.stdout.write(`${A.report}
`),0}};export{S as evalCommand};
