import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{L as _}from"./shared-dfba8815.js";import"./shared-3873b879.js";import"./shared-f2ebdd36.js";import{a as k}from"./shared-74c2c633.js";import"./shared-3cb748ab.js";import{b as m}from"./shared-0a186f61.js";import"./shared-a6cb8dcb.js";import"./shared-600d4e0e.js";import"./shared-58e375dd.js";import"./shared-ad06c887.js";import{a as f,b as h}from"./shared-2eb97a13.js";import{b as v}from"./shared-0ccec606.js";import"./shared-af496128.js";import"./shared-31cca623.js";import{a as i}from"./shared-5263c48d.js";import y from"node:path";var I={usage:`Usage: kaizen status [--repo DIR] [--json]

One line per task of .kaizen/tasks/: feedback collected against its threshold, the active prompt
version and its score, the last optimization job and its state (and pull request, if any).
Broken task files are listed with the command that explains them.

Example:
  kaizen status
  kaizen status --json | jq '.[] | select(.due)'`,async run(t,s){let{values:l}=v(t,{repo:{type:"string"},json:{type:"boolean"}}),u=await k.open(y.resolve(s.cwd,l.repo??".")),{overviews:g,broken:c}=await m(u,e=>_(u,e)),n=g.map(({config:e,state:a,versions:$,jobs:r})=>{let p=$.find(b=>b.status==="active")??null,d=a?.feedback_since_optimization??0;return{task:e.name,feedback:a?.feedback_retained??0,since_last_optimization:d,threshold:e.feedback_threshold,due:d>=e.feedback_threshold,active_version:p?.version_number??null,active_score:p?.eval_score??null,last_job:r[0]?{id:r[0].id,status:r[0].status,step:r[0].progress_step,pr_url:r[0].pr_url,error_message:r[0].error_message}:null}});if(l.json)return s.stdout.write(`${JSON.stringify(n,null,2)}
`),0;let o=f(s);if(n.length===0&&c.length===0)return s.stdout.write(`No task yet: create one with "kaizen init" (it writes .kaizen/tasks/<name>.yml).
`),0;let w=i(e=>o(e==="SUCCESS"?"green":e==="FAILED"||e==="PR_FAILED"?"red":"yellow",e),"status");s.stdout.write(`${h([["task","feedback","threshold","active prompt","last job"],...n.map(e=>[e.task,String(e.feedback),`${e.since_last_optimization}/${e.threshold}${e.due?` ${o("green","due")}`:""}`,e.active_version===null?"none yet":`v${e.active_version}${e.active_score===null?"":` (${(e.active_score*100).toFixed(1)}%)`}`,e.last_job?`${w(e.last_job.status)} ${z(e.last_job)}`:"none"])])}
`);for(let e of c)s.stdout.write(`${o("red","broken:")} ${e.path} (${e.issues.filter(a=>a.severity==="error").length} error(s)); run kaizen validate
`);return 0}};function z(t){return t.status==="FAILED"||t.status==="PR_FAILED"?t.error_message??t.step??"":t.pr_url??t.step??""}i(z,"lastJobNote");export{I as statusCommand};
