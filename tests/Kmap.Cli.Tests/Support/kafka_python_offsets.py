"""Independent judge for kmap's tests: kafka-python 2.0.2 commits and reads committed offsets.

usage: kafka_python_offsets.py commit BOOTSTRAP GROUP TOPIC:PARTITION=OFFSET...
       kafka_python_offsets.py committed BOOTSTRAP GROUP TOPIC:PARTITION...   (prints TOPIC:PARTITION=OFFSET|none)
       kafka_python_offsets.py produce BOOTSTRAP TOPIC PARTITIONS COUNT        (COUNT records to each partition)
       kafka_python_offsets.py produce-timed BOOTSTRAP TOPIC PARTITION PREFIX FIRST COUNT START_MS
                                   (values PREFIX-FIRST.., timestamps START_MS + i*1000; creates a 3-partition topic if needed)
       kafka_python_offsets.py next BOOTSTRAP GROUP TOPIC:PARTITION...         (prints TOPIC:PARTITION=VALUE|END: what the group reads next)
       kafka_python_offsets.py checkpoint BOOTSTRAP TOPIC GROUP CTOPIC PARTITION UPSTREAM DOWNSTREAM
                                   (one MirrorMaker 2 checkpoint record, encoded as MM2's Checkpoint class does)
       kafka_python_offsets.py produce-at BOOTSTRAP TOPIC START_MS COUNT       (partition 0, one record per second from START_MS)
"""
import struct
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.structs import OffsetAndMetadata


def parse_tp(text):
    topic, _, partition = text.rpartition(":")
    return TopicPartition(topic, int(partition))


def mm2_string(text):
    data = text.encode("utf-8")
    return struct.pack(">h", len(data)) + data


def ensure_topic(bootstrap, topic, partitions):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    if topic not in admin.list_topics():
        admin.create_topics([NewTopic(topic, partitions, 1)])
    admin.close()


def main(argv):
    action, bootstrap = argv[1], argv[2]
    if action == "produce":
        topic, partitions, count = argv[3], int(argv[4]), int(argv[5])
        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        admin.create_topics([NewTopic(topic, partitions, 1)])
        admin.close()
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        for p in range(partitions):
            for i in range(count):
                producer.send(topic, value=b"record-%d" % i, partition=p)
        producer.flush()
        producer.close()
        return 0
    if action == "produce-timed":
        topic, partition, prefix, first, count, start = argv[3], int(argv[4]), argv[5], int(argv[6]), int(argv[7]), int(argv[8])
        ensure_topic(bootstrap, topic, 3)
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        for i in range(first, first + count):
            producer.send(topic, value=("%s-%d" % (prefix, i)).encode(), partition=partition, timestamp_ms=start + i * 1000)
        producer.flush()
        producer.close()
        return 0
    if action == "checkpoint":
        topic, group, ctopic, partition, upstream, downstream = argv[3], argv[4], argv[5], int(argv[6]), int(argv[7]), int(argv[8])
        ensure_topic(bootstrap, topic, 1)
        # Kafka's protocol types, big-endian: STRING = INT16 length + UTF-8. Key {group, topic, partition};
        # value = header {version INT16 = 0} + {upstreamOffset INT64, offset INT64, metadata STRING}.
        key = mm2_string(group) + mm2_string(ctopic) + struct.pack(">i", partition)
        value = struct.pack(">h", 0) + struct.pack(">q", upstream) + struct.pack(">q", downstream) + mm2_string("")
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        producer.send(topic, key=key, value=value, partition=0)
        producer.flush()
        producer.close()
        return 0
    if action == "produce-at":
        topic, start, count = argv[3], int(argv[4]), int(argv[5])
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        for i in range(count):
            producer.send(topic, value=b"record-%d" % i, partition=0, timestamp_ms=start + i * 1000)
        producer.flush()
        producer.close()
        return 0
    group = argv[3]
    if action == "next":
        for item in argv[4:]:
            tp = parse_tp(item)
            consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                                     auto_offset_reset="none", consumer_timeout_ms=5000)
            consumer.assign([tp])
            end = consumer.end_offsets([tp])[tp]
            if consumer.position(tp) >= end:
                print("%s=END" % item)
            else:
                record = next(iter(consumer))
                print("%s=%s" % (item, record.value.decode()))
            consumer.close()
        return 0
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    if action == "commit":
        offsets = {}
        for item in argv[4:]:
            tp_text, _, offset = item.rpartition("=")
            offsets[parse_tp(tp_text)] = OffsetAndMetadata(int(offset), "")
        consumer.commit(offsets)
    elif action == "committed":
        for item in argv[4:]:
            offset = consumer.committed(parse_tp(item))
            print("%s=%s" % (item, "none" if offset is None else offset))
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
