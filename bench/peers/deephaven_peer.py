"""
Deephaven's side of bench/compare.ts: an embedded Deephaven server consumes the bench's topic
as a blink table and keeps, per symbol, count, sum(qty), avg(price) and the last price
(agg_by). It tells the bench on stdout, one line each:
  consuming                 just before the Kafka consumer starts (the bench's CPU mark)
  done <epoch ms>           when the aggregate has counted every preloaded message
  seen <symbol> <epoch ms>  when a probe symbol (P-...) first appears in the aggregate
and runs until it is killed.
  python deephaven_peer.py BROKERS TOPIC MESSAGES PORT
"""
import sys
import time

brokers, topic, messages, port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

from deephaven_server import Server

Server(port=port, jvm_args=['-Xmx2g', '-DAuthHandlers=io.deephaven.auth.AnonymousAuthenticationHandler']).start()

from deephaven import agg
from deephaven import dtypes as dht
from deephaven.stream.kafka import consumer as kc
from deephaven.table_listener import listen


def say(line):
    print(line, flush=True)


say('consuming')
trades = kc.consume(
    {'bootstrap.servers': brokers},
    topic,
    offsets=kc.ALL_PARTITIONS_SEEK_TO_BEGINNING,
    key_spec=kc.KeyValueSpec.IGNORE,
    value_spec=kc.json_spec({'symbol': dht.string, 'price': dht.double, 'qty': dht.int32}),
    table_type=kc.TableType.blink(),
)
by_symbol = trades.agg_by(
    [agg.count_('n'), agg.sum_('shares=qty'), agg.avg('avg_price=price'), agg.last('last_price=price')],
    by=['symbol'],
)
total = by_symbol.view(['n']).sum_by()
finished = False


def on_total(update, is_replay):
    global finished
    values = [*update.added(['n'])['n'], *update.modified(['n'])['n']]
    if not finished and values and int(values[-1]) >= messages:
        finished = True
        say(f'done {time.time() * 1000:.1f}')


def on_symbols(update, is_replay):
    now = time.time() * 1000
    for symbol in update.added(['symbol'])['symbol']:
        if symbol.startswith('P-'):
            say(f'seen {symbol} {now:.1f}')


handles = [listen(total, on_total), listen(by_symbol, on_symbols)]
while True:
    time.sleep(3600)
