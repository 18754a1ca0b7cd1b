"""
Flink's side of bench/compare.ts: PyFlink's Table API (a local mini cluster in the JVM it
starts) runs the bench's GROUP BY over a Kafka table of the bench's topic and writes each
symbol's row, as it changes, to an upsert-kafka table of OUT_TOPIC, which the bench reads back
(completion and probe latency are seen there). Mini-batch aggregation is on (50 ms), as Flink
advises for a group aggregation over a stream. It tells the bench on stdout:
  consuming    just before the job is submitted (the bench's CPU mark)
  submitted    once the job runs
and runs until it is killed.
  python flink_peer.py BROKERS TOPIC OUT_TOPIC CONNECTOR_JAR
"""
import sys
import time

brokers, topic, out_topic, jar = sys.argv[1:5]

from pyflink.table import EnvironmentSettings, TableEnvironment

env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
config = env.get_config()
config.set('pipeline.jars', f'file://{jar}')
config.set('parallelism.default', '1')
config.set('table.exec.mini-batch.enabled', 'true')
config.set('table.exec.mini-batch.allow-latency', '50 ms')
config.set('table.exec.mini-batch.size', '5000')

env.execute_sql(f"""
  CREATE TABLE trades (symbol STRING, price DOUBLE, qty INT) WITH (
    'connector' = 'kafka', 'topic' = '{topic}', 'properties.bootstrap.servers' = '{brokers}',
    'properties.group.id' = 'flink-{out_topic}', 'scan.startup.mode' = 'earliest-offset',
    'format' = 'json')""")
env.execute_sql(f"""
  CREATE TABLE by_symbol (symbol STRING, n BIGINT, shares BIGINT, avg_price DOUBLE, last_price DOUBLE,
    PRIMARY KEY (symbol) NOT ENFORCED) WITH (
    'connector' = 'upsert-kafka', 'topic' = '{out_topic}', 'properties.bootstrap.servers' = '{brokers}',
    'key.format' = 'json', 'value.format' = 'json')""")
print('consuming', flush=True)
env.execute_sql("""
  INSERT INTO by_symbol
  SELECT symbol, COUNT(*), SUM(CAST(qty AS BIGINT)), AVG(price), LAST_VALUE(price) FROM trades GROUP BY symbol""")
print('submitted', flush=True)
while True:
    time.sleep(3600)
