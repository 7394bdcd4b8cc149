const { redactor } = require('./dist/src/logs/redact.js');
const { spelled } = require('./dist/src/logs/spelled.js');
const r = redactor(['hostile-webhook-7d1c0e', 'hostile-client-9a2b4f']);
const lines = [
 JSON.stringify({time:new Date().toISOString(),level:'debug',message:'malformed message',target:'probe-test',reason:'not_json',sample:'\u0000not json'}),
 JSON.stringify({time:new Date().toISOString(),level:'debug',message:'event of another probe',target:'probe-test',appId:'9f8e7d6c'}),
];
for (const line of lines) {
  let t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) spelled(line);
  const s = Number(process.hrtime.bigint() - t) / 20000 / 1000;
  t = process.hrtime.bigint();
  for (let i = 0; i < 20000; i++) r(line);
  const a = Number(process.hrtime.bigint() - t) / 20000 / 1000;
  console.log(line.length, 'spelled us', s.toFixed(2), 'redact us', a.toFixed(2));
}
