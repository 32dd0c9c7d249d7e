#!/usr/bin/env node
// kafkajs 2.2.4 against a Kafka cluster, for kmap's conformance suite.
//
// Usage: node kjs.js COMMAND --bootstrap HOST:PORT[,...] [--topic T] [--group G] [--partitions N]
//        [--count N] [--offsets P:O,...] [--security-protocol SSL|SASL_PLAINTEXT|SASL_SSL]
//        [--sasl-mechanism PLAIN|SCRAM-SHA-256|SCRAM-SHA-512] [--user U] [--ca F] [--cert F] [--key F]
//        [--timeout SECONDS]
// Prints one JSON document on stdout (logs go to stderr). Exits 0 on success, 1 on a Kafka error
// (JSON {"error", "message"} on stdout, the message on stderr), 3 past --timeout.
// The SASL password comes from the environment variable KJS_PASSWORD, never from argv.
'use strict'

const fs = require('fs')
const { Kafka, logLevel, AssignerProtocol } = require('kafkajs')

function parseArgs(argv) {
  const args = { command: argv[0], partitions: 1, count: 0, timeout: 45 }
  for (let i = 1; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    args[name] = argv[i + 1]
  }
  for (const numeric of ['partitions', 'count', 'timeout']) args[numeric] = Number(args[numeric])
  if (!args.bootstrap) throw new Error('--bootstrap is required')
  return args
}

const hex = buffer => (buffer === null || buffer === undefined ? null : Buffer.from(buffer).toString('hex'))
const unhex = text => (text === null ? null : Buffer.from(text, 'hex'))

function kafka(args, clientId) {
  const config = {
    clientId,
    brokers: args.bootstrap.split(','),
    connectionTimeout: 5000,
    requestTimeout: 10000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }) =>
      process.stderr.write(`[kafkajs ${namespace}] ${log.message} ${log.error || ''}\n`),
  }
  const protocol = args.securityProtocol || 'PLAINTEXT'
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    config.ssl = { rejectUnauthorized: true }
    if (args.ca) config.ssl.ca = [fs.readFileSync(args.ca, 'utf8')]
    if (args.cert) {
      config.ssl.cert = fs.readFileSync(args.cert, 'utf8')
      config.ssl.key = fs.readFileSync(args.key, 'utf8')
    }
  }
  if (protocol.startsWith('SASL')) {
    config.sasl = {
      mechanism: (args.saslMechanism || 'PLAIN').toLowerCase(),
      username: args.user,
      password: process.env.KJS_PASSWORD || '',
    }
  }
  return new Kafka(config)
}

function recordJson(partition, message) {
  const headers = []
  for (const [key, value] of Object.entries(message.headers || {})) {
    for (const one of Array.isArray(value) ? value : [value]) headers.push([key, hex(one)])
  }
  return {
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    key: hex(message.key),
    value: hex(message.value),
    headers,
  }
}

async function waitFor(condition, what, deadline) {
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

function consumerOf(client, groupId) {
  return client.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 500, rebalanceTimeout: 15000, maxWaitTimeInMs: 200 })
}

const commands = {
  async metadata(args) {
    const admin = kafka(args, 'kjs-admin').admin()
    await admin.connect()
    const cluster = await admin.describeCluster()
    await admin.disconnect()
    return {
      cluster_id: cluster.clusterId,
      controller_id: cluster.controller,
      brokers: cluster.brokers.map(b => ({ node_id: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.node_id - b.node_id),
    }
  },

  async 'create-topic'(args) {
    const admin = kafka(args, 'kjs-admin').admin()
    await admin.connect()
    const spec = { topics: [{ topic: args.topic, numPartitions: args.partitions, replicationFactor: 1 }], waitForLeaders: true }
    const created = await admin.createTopics(spec)
    // kafkajs answers false (not an error) when the topic already exists.
    const createdAgain = await admin.createTopics(spec)
    const metadata = await admin.fetchTopicMetadata({ topics: [args.topic] })
    await admin.disconnect()
    return {
      created,
      created_again: createdAgain,
      partitions: metadata.topics[0].partitions.map(p => p.partitionId).sort((a, b) => a - b),
    }
  },

  // Reads [{"partition", "key", "value" (hex or null), "timestamp", "headers": [[k, hex]]}] from stdin.
  async produce(args) {
    const records = JSON.parse(fs.readFileSync(0, 'utf8'))
    const producer = kafka(args, 'kjs-producer').producer({ allowAutoTopicCreation: false })
    await producer.connect()
    const produced = []
    for (const r of records) {
      const headers = {}
      for (const [key, value] of r.headers) {
        // kafkajs keeps headers in an object: a repeated key becomes an array of values.
        if (key in headers) headers[key] = [].concat(headers[key], unhex(value))
        else headers[key] = unhex(value)
      }
      const [metadata] = await producer.send({
        topic: args.topic,
        acks: -1,
        messages: [{ partition: r.partition, key: unhex(r.key), value: unhex(r.value), timestamp: String(r.timestamp), headers }],
      })
      produced.push({ partition: metadata.partition, offset: Number(metadata.baseOffset) })
    }
    await producer.disconnect()
    return { produced }
  },

  // kafkajs has no assign(): a fresh group reading from the beginning plays that part.
  async consume(args) {
    const consumer = consumerOf(kafka(args, 'kjs-consumer'), `kjs-reader-${process.pid}-${Date.now()}`)
    await consumer.connect()
    await consumer.subscribe({ topics: [args.topic], fromBeginning: true })
    const seen = []
    await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => { seen.push(recordJson(partition, message)) } })
    await waitFor(() => seen.length >= args.count, `${args.count} records`, Date.now() + 20000)
    await consumer.disconnect()
    return { records: seen.sort((a, b) => a.partition - b.partition || a.offset - b.offset) }
  },

  // Two members of one group: the second joining rebalances the first; both consume, then commit.
  async 'group-consume'(args) {
    const client = kafka(args, 'kjs-member')
    const deadline = Date.now() + 35000
    const seen = new Set()
    const members = []
    const start = async () => {
      const member = { consumer: consumerOf(client, args.group), assignment: [], positions: new Map() }
      member.consumer.on(member.consumer.events.GROUP_JOIN, e => {
        member.assignment = (e.payload.memberAssignment[args.topic] || []).slice().sort((a, b) => a - b)
      })
      await member.consumer.connect()
      await member.consumer.subscribe({ topics: [args.topic], fromBeginning: true })
      await member.consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          seen.add(`${partition}:${message.offset}`)
          member.positions.set(partition, Number(message.offset) + 1)
        },
      })
      members.push(member)
      return member
    }
    const first = await start()
    await waitFor(() => first.assignment.length === args.partitions, "the first member's assignment", deadline)
    const alone = first.assignment
    const second = await start()
    const half = args.partitions / 2
    await waitFor(() => first.assignment.length === half && second.assignment.length === half, 'the rebalance to split the partitions', deadline)
    // Every member must read its own partitions to the end (the test writes count/partitions records to each).
    const perPartition = args.count / args.partitions
    await waitFor(() => seen.size >= args.count && members.every(m => m.assignment.every(p => m.positions.get(p) === perPartition)),
      `${args.count} records, each member at the end of its partitions`, deadline)
    const commits = []
    for (const m of members) {
      const offsets = m.assignment.filter(p => m.positions.has(p)).map(p => ({ topic: args.topic, partition: p, offset: String(m.positions.get(p)) }))
      await m.consumer.commitOffsets(offsets)
      commits.push(offsets.map(o => [o.partition, Number(o.offset)]))
    }
    const result = { alone, first: first.assignment, second: second.assignment, records: [...seen].sort(), commits }
    for (const m of members) await m.consumer.disconnect()
    return result
  },

  // One member consumes exactly --count records, commits after the last one, and leaves.
  async 'consume-commit'(args) {
    const consumer = consumerOf(kafka(args, 'kjs-consumer'), args.group)
    await consumer.connect()
    await consumer.subscribe({ topics: [args.topic], fromBeginning: true })
    const seen = []
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (seen.length < args.count) seen.push(recordJson(partition, message))
        if (seen.length === args.count) consumer.pause([{ topic: args.topic }])
      },
    })
    await waitFor(() => seen.length >= args.count, `${args.count} records`, Date.now() + 30000)
    const last = seen[args.count - 1]
    await consumer.commitOffsets([{ topic: args.topic, partition: last.partition, offset: String(last.offset + 1) }])
    await consumer.disconnect()
    return { records: seen }
  },

  // Lists and describes groups while one member of --group is active.
  async groups(args) {
    const client = kafka(args, 'kjs-member')
    const consumer = consumerOf(client, args.group)
    let assigned = false
    consumer.on(consumer.events.GROUP_JOIN, () => { assigned = true })
    await consumer.connect()
    await consumer.subscribe({ topics: [args.topic], fromBeginning: true })
    await consumer.run({ eachMessage: async () => {} })
    await waitFor(() => assigned, 'the assignment', Date.now() + 30000)
    const admin = client.admin()
    await admin.connect()
    const listed = (await admin.listGroups()).groups.map(g => [g.groupId, g.protocolType]).sort()
    const described = (await admin.describeGroups([args.group])).groups.map(g => ({
      group: g.groupId,
      state: g.state,
      protocol_type: g.protocolType,
      protocol: g.protocol,
      members: g.members.map(m => {
        const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)
        const assignment = []
        for (const [topic, partitions] of Object.entries(decoded ? decoded.assignment : {})) {
          for (const p of partitions) assignment.push(`${topic}:${p}`)
        }
        return { member_id: m.memberId, client_id: m.clientId, assignment: assignment.sort() }
      }),
    }))
    await admin.disconnect()
    await consumer.disconnect()
    return { listed, described }
  },

  async 'fetch-offsets'(args) {
    const admin = kafka(args, 'kjs-admin').admin()
    await admin.connect()
    const topics = await admin.fetchOffsets({ groupId: args.group })
    await admin.disconnect()
    const offsets = []
    for (const t of topics) for (const p of t.partitions) offsets.push([t.topic, p.partition, Number(p.offset)])
    return { offsets: offsets.sort() }
  },

  // admin.setOffsets commits for a group that has no members, without joining it.
  async commit(args) {
    const admin = kafka(args, 'kjs-admin').admin()
    await admin.connect()
    const partitions = args.offsets.split(',').map(spec => {
      const [partition, offset] = spec.split(':')
      return { partition: Number(partition), offset }
    })
    await admin.setOffsets({ groupId: args.group, topic: args.topic, partitions })
    await admin.disconnect()
    return { committed: partitions.map(p => [p.partition, Number(p.offset)]) }
  },

  async 'delete-group'(args) {
    const admin = kafka(args, 'kjs-admin').admin()
    await admin.connect()
    const results = await admin.deleteGroups([args.group])
    await admin.disconnect()
    return { results: results.map(r => [r.groupId, r.errorCode]) }
  },
}

async function main() {
  const started = Date.now()
  let args
  try {
    args = parseArgs(process.argv.slice(2))
    if (!(args.command in commands)) throw new Error(`unknown command ${args.command}; one of ${Object.keys(commands).join(', ')}`)
  } catch (e) {
    process.stderr.write(`kjs.js: ${e.message}\n`)
    process.exit(2)
  }
  setTimeout(() => {
    process.stdout.write(JSON.stringify({ error: 'Timeout', message: 'kjs.js: timed out' }) + '\n')
    process.stderr.write('kjs.js: timed out\n')
    process.exit(3)
  }, args.timeout * 1000).unref()
  try {
    const result = await commands[args.command](args)
    result.seconds = (Date.now() - started) / 1000
    // Exit only once stdout has drained: a pipe write is asynchronous and exit() would cut it short.
    process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0))
  } catch (e) {
    const seconds = (Date.now() - started) / 1000
    process.stderr.write(`kjs.js ${args.command} failed: ${e.name}: ${e.message}\n`)
    process.stdout.write(JSON.stringify({ error: e.name, message: e.message, seconds }) + '\n', () => process.exit(1))
  }
}

main()
