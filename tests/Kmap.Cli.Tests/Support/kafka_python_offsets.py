"""Independent judge for kmap's tests: kafka-python 2.0.2 commits and reads committed offsets.

usage: kafka_python_offsets.py commit BOOTSTRAP GROUP TOPIC:PARTITION=OFFSET...
       kafka_python_offsets.py committed BOOTSTRAP GROUP TOPIC:PARTITION...   (prints TOPIC:PARTITION=OFFSET|none)
       kafka_python_offsets.py produce BOOTSTRAP TOPIC PARTITIONS COUNT        (COUNT records to each partition)
       kafka_python_offsets.py produce-at BOOTSTRAP TOPIC START_MS COUNT       (partition 0, one record per second from START_MS)
"""
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.structs import OffsetAndMetadata


def parse_tp(text):
    topic, _, partition = text.rpartition(":")
    return TopicPartition(topic, int(partition))


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
    if action == "produce-at":
        topic, start, count = argv[3], int(argv[4]), int(argv[5])
        producer = KafkaProducer(bootstrap_servers=bootstrap)
        for i in range(count):
            producer.send(topic, value=b"record-%d" % i, partition=0, timestamp_ms=start + i * 1000)
        producer.flush()
        producer.close()
        return 0
    group = argv[3]
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
