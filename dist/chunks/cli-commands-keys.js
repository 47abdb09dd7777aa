import { createRequire as __kaizenCreateRequire } from 'node:module'; const require = __kaizenCreateRequire(import.meta.url);
import{b as m}from"./shared-37bf16c2.js";import{b as d}from"./shared-a34f6480.js";import"./shared-2a78dfbc.js";import"./shared-dfba8815.js";import"./shared-3873b879.js";import"./shared-f2ebdd36.js";import"./shared-e5c70927.js";import{a as p}from"./shared-74c2c633.js";import"./shared-3cb748ab.js";import"./shared-0a186f61.js";import"./shared-a6cb8dcb.js";import"./shared-600d4e0e.js";import"./shared-58e375dd.js";import"./shared-ad06c887.js";import{a as k,b as l}from"./shared-2eb97a13.js";import{a as i,b as y}from"./shared-0ccec606.js";import"./shared-af496128.js";import"./shared-31cca623.js";import"./shared-5263c48d.js";import w from"node:path";var C={usage:`Usage: kaizen keys create [--name WHO] | list [--json] | revoke KEY_ID   [--repo DIR]

Manages the API keys that kaizen serve accepts for this repository. A new key is printed once;
only its sha256 is stored (on the kaizen/data branch). For the GitHub App, repository admins
create keys with POST /api/v1/keys and their GitHub token.

Example:
  kaizen keys create --name ci
  kaizen keys list
  kaizen keys revoke 01a2070e-9ce9-75c7-9031-bc129fb99fb1`,async run(h,r){let[o,...f]=h,{values:a,positionals:u}=y(f,{repo:{type:"string"},name:{type:"string"},json:{type:"boolean"}},!0),s=await p.open(w.resolve(r.cwd,a.repo??".")),c=k(r);switch(o){case"create":{let{key:t,record:e}=d(m,`local/${w.basename(s.dir)}`,a.name??"kaizen keys");return await s.putKey(e),a.json?r.stdout.write(`${JSON.stringify({id:e.id,key:t,prefix:e.prefix,created_at:e.created_at})}
`):r.stdout.write(`Created key ${e.id}. Store it now, it is shown only once:
${c("green",t)}
`),0}case"list":{let t=(await s.listKeys()).sort((e,n)=>e.created_at.localeCompare(n.created_at));return a.json?r.stdout.write(`${JSON.stringify(t.map(({hash:e,...n})=>n),null,2)}
`):t.length===0?r.stdout.write(`No keys yet: kaizen keys create
`):r.stdout.write(`${l([["id","prefix","created","by"],...t.map(e=>[e.id,`${e.prefix.replace(/…$/,"")}…`,e.created_at.slice(0,19).replace("T"," "),e.created_by??""])])}
`),0}case"revoke":{let t=u[0];if(!t)throw new i("revoke needs the key's id (see kaizen keys list)");return await s.deleteKey(t)?(r.stdout.write(`Revoked key ${t}.
`),0):(r.stderr.write(`${c("red","error:")} no key ${t} in this repository
`),1)}default:throw new i(o?`unknown action "${o}": use create, list or revoke`:"say what to do: create, list or revoke")}}};export{C as keysCommand};
