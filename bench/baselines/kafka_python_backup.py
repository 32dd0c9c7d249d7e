#!/usr/bin/python3
"""Baseline: the usual one-group-at-a-time backup with kafka-python's admin client.

Lists the groups, then asks each group's committed offsets in turn (kafka-python looks up the
group's coordinator, then sends OffsetFetch: two round trips per group). Writes the same JSON
shape as kmap (group -> topic -> [{partition, offset}]) so the work compared is the same.
Usage: kafka_python_backup.py BOOTSTRAP OUT.json
"""
import json
import sys

from kafka import KafkaAdminClient


def main():
    bootstrap, out = sys.argv[1], sys.argv[2]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench-kafka-python", request_timeout_ms=60000)
    groups = sorted(g for g, _ in admin.list_consumer_groups())
    backup = []
    for group in groups:
        offsets = admin.list_consumer_group_offsets(group)
        topics = {}
        for tp, meta in sorted(offsets.items()):
            if meta.offset >= 0:
                topics.setdefault(tp.topic, []).append({"partition": tp.partition, "offset": meta.offset})
        if topics:
            backup.append({"group": group, "topics": topics})
    admin.close()
    with open(out, "w") as f:
        json.dump({"consumer_groups": backup}, f)
    print(f"{len(backup)} groups, {sum(len(p) for g in backup for p in g['topics'].values())} offsets", file=sys.stderr)


if __name__ == "__main__":
    main()
