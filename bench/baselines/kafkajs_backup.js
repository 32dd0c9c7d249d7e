// Baseline: kafkajs 2.2.4 admin, one group at a time: listGroups, then fetchOffsets per group
// (kafkajs looks up the coordinator, then sends OffsetFetch for the group's committed topics).
// Usage: node kafkajs_backup.js BOOTSTRAP OUT.json   (kafkajs is resolved from tests/Conformance/node)
'use strict';
const fs = require('fs');
const path = require('path');
const { Kafka, logLevel } = require(path.join(__dirname, '../../tests/Conformance/node/node_modules/kafkajs'));

async function main() {
  const [bootstrap, out] = process.argv.slice(2);
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const groups = (await admin.listGroups()).groups.map(g => g.groupId).sort();
  const backup = [];
  let offsets = 0;
  for (const groupId of groups) {
    const answer = await admin.fetchOffsets({ groupId });
    const topics = {};
    for (const t of answer) {
      const parts = t.partitions.filter(p => Number(p.offset) >= 0).map(p => ({ partition: p.partition, offset: Number(p.offset) }));
      if (parts.length > 0) {
        topics[t.topic] = parts;
        offsets += parts.length;
      }
    }
    if (Object.keys(topics).length > 0) backup.push({ group: groupId, topics });
  }
  await admin.disconnect();
  fs.writeFileSync(out, JSON.stringify({ consumer_groups: backup }));
  process.stderr.write(`${backup.length} groups, ${offsets} offsets\n`);
}

main().catch(e => { console.error(e); process.exit(1); });
