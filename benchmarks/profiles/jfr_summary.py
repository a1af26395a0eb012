#!/usr/bin/env python3
"""Summarises a JFR recording of a node: threads started, and where the sampled CPU went.

    python3 jfr_summary.py recording.jfr

Needs the JDK's `jfr` tool on the PATH. Counts each execution sample once per bucket: the first
frame of this project's code in its stack, and a few notable frames anywhere in it.
"""
import collections
import json
import subprocess
import sys

NOTABLE = ['WireCodec.encodeToWire', 'WireCodec.decodeFromWire', 'Wire.encode', 'Wire.decode', 'ObjectMapper',
           'ClusteredEventBus', 'io.netty.channel.nio', 'sun.nio.ch', 'PlayerConnection.sendText', 'FrameParser',
           'WebSocketGateway.onDelivery', 'MatchRequests', 'MatchVerticle.publish', 'micrometer',
           'StepReplicator', 'ClusteredReplication', 'RecordWrite', 'FencedWrite', 'Replication$',
           'ObjectOutputStream', 'ObjectInputStream', 'HazelcastManagedThread']


def main(path):
    summary = subprocess.run(['jfr', 'summary', path], capture_output=True, text=True, check=True).stdout
    for line in summary.splitlines():
        if any(key in line for key in ('Start:', 'Duration:', 'jdk.ThreadStart ', 'jdk.ExecutionSample ')):
            print(line.strip())
    printed = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '64', '--events', 'jdk.ExecutionSample', path],
                             capture_output=True, text=True, check=True).stdout
    events = json.loads(printed)['recording']['events']
    ours, anywhere, top = collections.Counter(), collections.Counter(), collections.Counter()
    samples = 0
    for event in events:
        stack = event['values'].get('stackTrace')
        if not stack or not stack['frames']:
            continue
        samples += 1
        names = [f['method']['type']['name'].replace('/', '.') + '.' + f['method']['name'] for f in stack['frames']]
        top[names[0]] += 1
        own = [name for name in names if name.startswith('org.quizengine')]
        ours[own[0] if own else '(no project frame) ' + names[-1]] += 1
        for key in NOTABLE:
            if any(key in name for name in names):
                anywhere[key] += 1
    print(f'execution samples: {samples}')
    print('--- first project frame in the stack')
    for name, count in ours.most_common(20):
        print(f'{100 * count / samples:5.1f}% {name}')
    print('--- anywhere in the stack')
    for name, count in anywhere.most_common():
        print(f'{100 * count / samples:5.1f}% {name}')
    print('--- top frames')
    for name, count in top.most_common(15):
        print(f'{100 * count / samples:5.1f}% {name}')


if __name__ == '__main__':
    main(sys.argv[1])
