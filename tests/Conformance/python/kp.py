#!/usr/bin/python3
"""kafka-python 2.0.2 (Debian's python3-kafka) against a Kafka cluster, for kmap's conformance suite.

Usage: kp.py COMMAND --bootstrap HOST:PORT[,...] [options]
Prints one JSON document on stdout. Exits 0 on success, 1 on a Kafka error (JSON {"error": ...} on
stdout and the message on stderr), 3 when the command ran past --timeout seconds.
The SASL password comes from the environment variable KP_PASSWORD, never from argv.
"""
import argparse
import binascii
import json
import logging
import os
import signal
import sys
import threading
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.structs import OffsetAndMetadata


def hexed(data):
    return None if data is None else binascii.hexlify(data).decode("ascii")


def unhexed(text):
    return None if text is None else binascii.unhexlify(text)


def security(args):
    config = {"bootstrap_servers": args.bootstrap.split(","), "request_timeout_ms": 10000}
    if args.security_protocol:
        config["security_protocol"] = args.security_protocol
    if args.sasl_mechanism:
        config["sasl_mechanism"] = args.sasl_mechanism
        config["sasl_plain_username"] = args.user
        config["sasl_plain_password"] = os.environ.get("KP_PASSWORD", "")
    if args.ca:
        config["ssl_cafile"] = args.ca
        config["ssl_check_hostname"] = True
    if args.cert:
        config["ssl_certfile"] = args.cert
        config["ssl_keyfile"] = args.key
    return config


def admin(args):
    return KafkaAdminClient(client_id="kp-admin", **security(args))


def consumer(args, group=None, **extra):
    config = security(args)
    config.update(client_id="kp-consumer", group_id=group, auto_offset_reset="earliest",
                  enable_auto_commit=False, session_timeout_ms=10000, heartbeat_interval_ms=500,
                  max_poll_interval_ms=30000, request_timeout_ms=15000)
    config.update(extra)
    return KafkaConsumer(**config)


def poll_until(consumers, condition, what, deadline, seen):
    """Polls every consumer (which runs their rebalances) until condition() holds."""
    while not condition():
        if time.time() > deadline:
            raise TimeoutError("timed out waiting for " + what)
        for c in consumers:
            for records in c.poll(timeout_ms=100).values():
                seen.extend(records)


def record_json(r):
    return {"partition": r.partition, "offset": r.offset, "timestamp": r.timestamp,
            "timestamp_type": r.timestamp_type, "key": hexed(r.key), "value": hexed(r.value),
            "headers": [[k, hexed(v)] for k, v in (r.headers or [])]}


def cmd_metadata(args):
    a = admin(args)
    cluster = a.describe_cluster()
    a.close()
    return {"cluster_id": cluster.get("cluster_id"), "controller_id": cluster.get("controller_id"),
            "brokers": sorted(({"node_id": b["node_id"], "host": b["host"], "port": b["port"]}
                               for b in cluster["brokers"]), key=lambda b: b["node_id"])}


def cmd_create_topic(args):
    from kafka.errors import TopicAlreadyExistsError
    a = admin(args)
    a.create_topics([NewTopic(args.topic, args.partitions, 1)], timeout_ms=10000)
    again = None
    try:
        a.create_topics([NewTopic(args.topic, args.partitions, 1)], timeout_ms=10000)
    except TopicAlreadyExistsError as e:
        again = type(e).__name__
    a.close()
    c = consumer(args)
    partitions = sorted(c.partitions_for_topic(args.topic) or [])
    c.close()
    return {"partitions": partitions, "create_again": again}


def cmd_produce(args):
    """Reads [{"partition", "key", "value" (hex or null), "timestamp", "headers": [[k, hex]]}] from stdin."""
    records = json.load(sys.stdin)
    config = security(args)
    config.update(client_id="kp-producer", acks="all", linger_ms=5)
    p = KafkaProducer(**config)
    results = []
    for r in records:
        future = p.send(args.topic, key=unhexed(r["key"]), value=unhexed(r["value"]), partition=r["partition"],
                        timestamp_ms=r["timestamp"], headers=[(k, unhexed(v)) for k, v in r["headers"]])
        metadata = future.get(timeout=10)
        results.append({"partition": metadata.partition, "offset": metadata.offset})
    p.flush(10)
    p.close()
    return {"produced": results}


def cmd_consume(args):
    c = consumer(args)
    partitions = [TopicPartition(args.topic, p) for p in sorted(c.partitions_for_topic(args.topic))]
    c.assign(partitions)
    c.seek_to_beginning(*partitions)
    seen = []
    poll_until([c], lambda: len(seen) >= args.count, "%d records" % args.count, time.time() + 20, seen)
    c.close()
    return {"records": [record_json(r) for r in sorted(seen, key=lambda r: (r.partition, r.offset))]}


class Member(threading.Thread):
    """One group member polling in its own thread: a JoinGroup blocks its caller until every member has
    rejoined, so two members polled from one thread would wait on each other."""

    def __init__(self, args, name):
        super().__init__(daemon=True)
        self.consumer = consumer(args, args.group, client_id=name)
        self.consumer.subscribe([args.topic])
        self.lock = threading.Lock()
        self.seen = set()
        self.positions = {}
        self.assignment = []
        self.stop = threading.Event()
        self.failure = None

    def run(self):
        try:
            while not self.stop.is_set():
                batch = self.consumer.poll(timeout_ms=100)
                with self.lock:
                    for records in batch.values():
                        self.seen.update("%d:%d" % (r.partition, r.offset) for r in records)
                        for r in records:
                            self.positions[r.partition] = r.offset + 1
                    self.assignment = sorted(tp.partition for tp in self.consumer.assignment())
        except Exception as e:  # reported by the main thread
            self.failure = e

    def snapshot(self):
        if self.failure is not None:
            raise self.failure
        with self.lock:
            return list(self.assignment), set(self.seen)


def wait_for(condition, what, deadline):
    while not condition():
        if time.time() > deadline:
            raise TimeoutError("timed out waiting for " + what)
        time.sleep(0.05)


def cmd_group_consume(args):
    """Two members of one group: the second joining rebalances the first; both consume, then commit."""
    deadline = time.time() + 35
    first = Member(args, "kp-first")
    first.start()
    wait_for(lambda: len(first.snapshot()[0]) == args.partitions, "the first member's assignment", deadline)
    alone = first.snapshot()[0]
    second = Member(args, "kp-second")
    second.start()
    half = args.partitions // 2
    wait_for(lambda: len(first.snapshot()[0]) == half and len(second.snapshot()[0]) == half,
             "the rebalance to split the partitions", deadline)
    # Every member must read its own partitions to the end (the test writes count/partitions records to each).
    per_partition = args.count // args.partitions

    def at_end(m):
        with m.lock:
            return all(m.positions.get(p) == per_partition for p in m.assignment)
    wait_for(lambda: len(first.snapshot()[1] | second.snapshot()[1]) >= args.count and at_end(first) and at_end(second),
             "%d records, each member at the end of its partitions" % args.count, deadline)
    for m in (first, second):
        m.stop.set()
        m.join(10)
    committed = {}
    for m in (first, second):
        m.consumer.commit()
        for tp in m.consumer.assignment():
            committed[str(tp.partition)] = m.consumer.committed(tp)
    result = {"alone": alone, "first": first.snapshot()[0], "second": second.snapshot()[0],
              "records": sorted(first.snapshot()[1] | second.snapshot()[1]), "committed": committed}
    first.consumer.close(autocommit=False)
    second.consumer.close(autocommit=False)
    return result


def cmd_consume_commit(args):
    """One member consumes exactly --count records, commits after the last one, and leaves."""
    c = consumer(args, args.group, max_poll_records=1)
    c.subscribe([args.topic])
    seen = []
    poll_until([c], lambda: len(seen) >= args.count, "%d records" % args.count, time.time() + 30, seen)
    seen = seen[:args.count]
    last = seen[-1]
    c.commit({TopicPartition(last.topic, last.partition): OffsetAndMetadata(last.offset + 1, "")})
    c.close(autocommit=False)
    return {"records": [record_json(r) for r in seen]}


def cmd_groups(args):
    """Lists and describes groups while one member of --group is active."""
    c = consumer(args, args.group)
    c.subscribe([args.topic])
    poll_until([c], lambda: len(c.assignment()) > 0, "the assignment", time.time() + 30, [])
    a = admin(args)
    listed = sorted([list(g) for g in a.list_consumer_groups()])
    described = []
    for g in a.describe_consumer_groups([args.group]):
        described.append({"group": g.group, "state": g.state, "protocol_type": g.protocol_type,
                          "protocol": g.protocol,
                          "members": [{"member_id": m.member_id, "client_id": m.client_id,
                                       "assignment": sorted("%s:%d" % (t, p) for t, ps in m.member_assignment.assignment for p in ps)}
                                      for m in g.members]})
    a.close()
    c.close(autocommit=False)
    return {"listed": listed, "described": described}


def cmd_fetch_offsets(args):
    a = admin(args)
    offsets = a.list_consumer_group_offsets(args.group)
    a.close()
    return {"offsets": sorted([[tp.topic, tp.partition, om.offset] for tp, om in offsets.items()])}


def cmd_commit(args):
    """Commits offsets for a group without joining it (no subscribe, no assign): what a restore tool does."""
    c = consumer(args, args.group)
    offsets = {}
    for spec in args.offsets.split(","):
        partition, offset = spec.split(":")
        offsets[TopicPartition(args.topic, int(partition))] = OffsetAndMetadata(int(offset), "")
    c.commit(offsets)
    c.close(autocommit=False)
    return {"committed": sorted([[tp.partition, om.offset] for tp, om in offsets.items()])}


def cmd_delete_group(args):
    a = admin(args)
    results = a.delete_consumer_groups([args.group])
    a.close()
    # kafka-python returns the error class (kafka.errors.NoError on success), not an instance.
    return {"results": [[group, getattr(error, "__name__", type(error).__name__)] for group, error in results]}


COMMANDS = {
    "metadata": cmd_metadata, "create-topic": cmd_create_topic, "produce": cmd_produce, "consume": cmd_consume,
    "group-consume": cmd_group_consume, "consume-commit": cmd_consume_commit, "groups": cmd_groups,
    "fetch-offsets": cmd_fetch_offsets, "commit": cmd_commit, "delete-group": cmd_delete_group,
}


def on_timeout(signum, frame):
    message = "kp.py: timed out"
    print(json.dumps({"error": "Timeout", "message": message}))
    print(message, file=sys.stderr)
    sys.stdout.flush()
    os._exit(3)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic")
    parser.add_argument("--group")
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--offsets", help="PARTITION:OFFSET,...")
    parser.add_argument("--security-protocol")
    parser.add_argument("--sasl-mechanism")
    parser.add_argument("--user")
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--timeout", type=int, default=45)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    signal.signal(signal.SIGALRM, on_timeout)
    signal.alarm(args.timeout)
    started = time.time()
    try:
        result = COMMANDS[args.command](args)
    except Exception as e:  # the caller asserts on the error's type and message
        print(json.dumps({"error": type(e).__name__, "message": str(e), "seconds": round(time.time() - started, 3)}))
        print("kp.py %s failed: %s: %s" % (args.command, type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
    result["seconds"] = round(time.time() - started, 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
