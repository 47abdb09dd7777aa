import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{a as K,c as w}from"./shared-37bf16c2.js";import"./shared-a34f6480.js";import"./shared-2a78dfbc.js";import{c as k}from"./shared-dfba8815.js";import{e as _,g as f,h as I}from"./shared-3873b879.js";import"./shared-f2ebdd36.js";import"./shared-e5c70927.js";import{b as g}from"./shared-74c2c633.js";import"./shared-3cb748ab.js";import{a as y}from"./shared-0a186f61.js";import{g as u,j as h}from"./shared-a6cb8dcb.js";import{h as l}from"./shared-600d4e0e.js";import"./shared-58e375dd.js";import"./shared-ad06c887.js";import{a as A}from"./shared-2eb97a13.js";import{b as E,c as v}from"./shared-0ccec606.js";import"./shared-af496128.js";import"./shared-31cca623.js";import{a as m}from"./shared-5263c48d.js";import{mkdtemp as $}from"node:fs/promises";import{tmpdir as b}from"node:os";import P from"node:path";var N={".kaizen/tasks/summarize_ticket.yml":["name: summarize_ticket","description: Summarize a customer support ticket in one sentence for the on-call engineer.","prompt_path: prompts/summarize_ticket.md","prompt_format: markdown","feedback_threshold: 50","cost_budget: 1.00",""].join(`
`),"prompts/summarize_ticket.md":`You are a support engineer. Summarize the ticket below in one sentence.

Ticket:
{{ticket}}
`},J={usage:`Usage: kaizen serve [--repo DIR] [--port 8000] [--host 127.0.0.1] [--demo]

Serves the Kaizen API (/api/v1: tasks, feedback, prompts, jobs, traces, keys) over a local git
repository: task files are read from its default branch, everything else is committed to its
kaizen/data branch. The API key is your own KAIZEN_API_KEY when set (any string; the SDK reads
the same variable; only its hash is stored), else one is generated and printed once.

Options:
  --repo DIR   the repository (default: the current directory)
  --port N     the port (default 8000; 0 picks a free one)
  --host H     the address to listen on (default 127.0.0.1)
  --demo       serve a new sample repository with a task "summarize_ticket"

Example:
  kaizen serve --demo
  KAIZEN_API_KEY=$(openssl rand -hex 24) kaizen serve --repo ~/src/support-bot --port 8080`,async run(a,e){let{values:n}=E(a,{repo:{type:"string"},port:{type:"string"},host:{type:"string"},demo:{type:"boolean"}}),c=v("port",n.port,8e3,0,65535),o=P.resolve(e.cwd,n.repo??".");n.demo&&(o=n.repo?o:await $(P.join(b(),"kaizen-demo-")),await g(o,N));let t=A(e),i=e.env.OPENAI_API_KEY?K(f(e.env),_(e.env),{timing:k(e.env),retry:I(e.env)}):null,r=await w({repoDir:o,port:c,host:n.host??"127.0.0.1",apiKey:e.env.KAIZEN_API_KEY,runJob:i,log:m(s=>e.stderr.write(`${s}
`),"log")});i||e.stdout.write(`${t("yellow","Note:")} OPENAI_API_KEY is not set, so optimization jobs stay PENDING (set it, and OPENAI_BASE_URL for another server, to run them here).
`),e.stdout.write(`Kaizen is serving ${t("bold",o)} at ${t("bold",r.url)}
`),r.generatedKey&&e.stdout.write(`API key (shown once; set KAIZEN_API_KEY to reuse a key): ${t("green",r.apiKey)}
`),r.keyWarning&&e.stderr.write(`${t("yellow","Warning:")} ${r.keyWarning}
`);let d=await z(r.url,r.generatedKey?r.apiKey:null,await y(r.repo.store),s=>r.repo.store.readRepoFile(s));return e.stdout.write(`
Try it:
${d}
Press Ctrl-C to stop.
`),await new Promise(s=>{let p=m(()=>s(),"stop");process.once("SIGINT",p),process.once("SIGTERM",p)}),e.stdout.write(`Stopping: committing what is queued…
`),await r.close(),0}};async function z(a,e,{tasks:n},c){let o=[e?`  export KAIZEN_API_KEY=${e}`:"  # KAIZEN_API_KEY: the key you set for this server",`  curl -H "X-API-Key: $KAIZEN_API_KEY" ${a}/api/v1/tasks`],t=n[0];if(!t)return o.push("  (no task yet: add one with kaizen init, and it appears in /api/v1/tasks)"),`${o.join(`
`)}
`;let i=t.prompt_path?await c(t.prompt_path):null,r=i&&t.prompt_path?l(u(i,t.prompt_format??h(t.prompt_path,i))):[],d=Object.fromEntries((r.length?r:["input"]).map(p=>[p,"…"])),s=JSON.stringify({task_id:t.name,inputs:d,output:"…",score:.9});return o.push(`  curl -H "X-API-Key: $KAIZEN_API_KEY" -H "content-type: application/json" -d '${s}' ${a}/api/v1/feedback`,`  curl -H "X-API-Key: $KAIZEN_API_KEY" ${a}/api/v1/tasks/${t.name}/prompt`),`${o.join(`
`)}
`}m(z,"tryIt");export{N as DEMO_FILES,J as serveCommand,z as tryIt};
