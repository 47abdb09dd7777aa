import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{a as $,b as x,c as I,d as b}from"./shared-3319c257.js";import{a as k,b as f}from"./shared-0f492a29.js";import{e as h,g as w}from"./shared-3873b879.js";import{a as g}from"./shared-74c2c633.js";import{R as u}from"./shared-3cb748ab.js";import"./shared-0a186f61.js";import"./shared-a6cb8dcb.js";import"./shared-600d4e0e.js";import"./shared-58e375dd.js";import"./shared-ad06c887.js";import{a as F}from"./shared-2eb97a13.js";import{a as E,b as v,c as y}from"./shared-0ccec606.js";import"./shared-af496128.js";import{a as c}from"./shared-31cca623.js";import"./shared-5263c48d.js";import{readFile as U}from"node:fs/promises";import m from"node:path";var J={usage:`Usage: kaizen eval --task NAME [--prompt FILE] [--repo DIR] [--dry-run] [--max-cost-usd X] [--report FILE]

Scores the task's prompt file as it stands in the working tree (or FILE) against the active
prompt (the file on the default branch), on held-out logged feedback from the kaizen/data
branch, with the task's evaluator and the same paired test as kaizen optimize. Prints the verdict
and its figures; --report FILE writes the report a pull request would get. Exits 0 whatever the
verdict; 1 only on an error.
Models are reached through OPENAI_API_KEY and OPENAI_BASE_URL (any OpenAI-compatible server).

Options:
  --task NAME         the task (.kaizen/tasks/NAME.yml)
  --prompt FILE       the edited prompt file (default: the task's prompt_path in the working tree)
  --repo DIR          the repository (default: the current directory)
  --dry-run           print what the evaluation would cost at most; call no model
  --max-cost-usd X    spend at most X US dollars (below the task's cost_budget)
  --report FILE       write the whole report (Markdown, as the check run shows it) to FILE

Example:
  OPENAI_API_KEY=sk-... kaizen eval --task summarize_ticket --max-cost-usd 0.50`,async run(A,t){let{values:e}=v(A,{task:{type:"string"},prompt:{type:"string"},repo:{type:"string"},"dry-run":{type:"boolean"},"max-cost-usd":{type:"string"},report:{type:"string"}});if(!e.task)throw new E("--task is required: which task's prompt to evaluate");let _=e["max-cost-usd"]===void 0?null:y("max-cost-usd",e["max-cost-usd"],0,1e-6),s=m.resolve(t.cwd,e.repo??"."),d=await I(t,e.report),n=await g.open(s),i=F(t);await $(n,s,e.task,{promptFromBranch:!1},a=>t.stderr.write(`${i("yellow","Note:")} ${a}
`));let{config:L}=await u(n,e.task),p=e.prompt?m.resolve(t.cwd,e.prompt):m.join(s,L.prompt_path),N=await U(p,"utf8").catch(a=>{throw new c(`cannot read the prompt file ${p}: ${a.code??a.message}`)}),l={store:n,task:e.task,fileText:N,maxCostUsd:_,baseURL:t.env.OPENAI_BASE_URL},r=await k(l);if(t.stderr.write(`${i("bold",`eval ${e.task}`)}: ${p} against the active prompt on ${r.heldOut} held-out examples; at most $${r.worstCaseUsd.toFixed(4)}${r.budgetUsd===null?"":` (cap $${r.budgetUsd.toFixed(2)})`}
`),e["dry-run"])return t.stdout.write(`${r.skip?`Nothing would be measured: ${r.skip}.
`:""}Dry run: no model was called, nothing was written.
`),0;let o=await f({...l,endpoint:w(t.env),cacheDir:h(t.env)});return t.stdout.write(o.input?`${x(o.input,i)}
`:`${o.report.replace(/^## .*\n\n/,"").replace(/\*\*/g,"")}`),d&&await b(t,d,o.report),0}};export{J as evalCommand};
