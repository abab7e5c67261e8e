import { ensureLargeOrg } from './_data.ts';
const r = await ensureLargeOrg();
console.log(JSON.stringify(r.counts));
