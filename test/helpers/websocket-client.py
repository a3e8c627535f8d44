"""A real WebSocket client for the tests (Debian's python3-websockets): connects to URL, runs
the steps given as JSON on argv, prints what happened as JSON. To 127.0.0.1 only.

Steps: ["text", s] sends and expects the echo; ["bytes", n] sends n bytes, expects them back;
["ping"] times a ping's pong; ["wait-close"] waits for the server to close, reports the code.
"""
import asyncio
import json
import sys
import time

import websockets


async def main(url, steps):
    out = []
    # An Origin, as a browser sends it (Channels' AllowedHostsOriginValidator wants one).
    origin = 'http://' + url.split('/')[2]
    async with websockets.connect(url, max_size=None, open_timeout=10, ping_interval=None, origin=origin) as ws:
        for step in steps:
            if step[0] == 'text':
                await ws.send(step[1])
                out.append(await asyncio.wait_for(ws.recv(), 10) == step[1])
            elif step[0] == 'bytes':
                data = bytes(range(256)) * (step[1] // 256)
                await ws.send(data)
                out.append(await asyncio.wait_for(ws.recv(), 10) == data)
            elif step[0] == 'ping':
                t = time.monotonic()
                await asyncio.wait_for(await ws.ping(), 10)
                out.append(time.monotonic() - t < 5)
            elif step[0] == 'wait-close':
                print(json.dumps({'ready': True}), flush=True)
                t = time.monotonic()
                try:
                    await asyncio.wait_for(ws.recv(), step[1])
                    out.append({'closed': False})
                except websockets.ConnectionClosed as e:
                    out.append({'closed': True, 'code': e.rcvd.code if e.rcvd else None,
                                'seconds': round(time.monotonic() - t, 2)})
    print(json.dumps(out), flush=True)


asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
