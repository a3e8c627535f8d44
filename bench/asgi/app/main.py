"""The ASGI benchmark's application (FastAPI, from Debian), the same for every contender:

    /json   a JSON hello            /10k    a 10 KB text body
    /sleep  awaits 10 ms, then JSON (what async is for: many waiting requests at once)
    /ws     WebSocket echo          /sse    server-sent events: ?count=N events, ?interval=S apart
"""
import asyncio

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import PlainTextResponse, StreamingResponse

app = FastAPI()
TEN_KB = 'x' * 10240


@app.get('/json')
async def json_hello():
    return {'message': 'Hello, world!'}


@app.get('/10k', response_class=PlainTextResponse)
async def ten_kb():
    return TEN_KB


@app.get('/sleep')
async def sleep():
    await asyncio.sleep(0.01)
    return {'slept': 0.01}


@app.get('/sse')
async def sse(count: int = 50, interval: float = 0.02):
    async def stream():
        for i in range(count):
            yield f'id: {i}\ndata: {{"tick": {i}}}\n\n'
            await asyncio.sleep(interval)
    return StreamingResponse(stream(), media_type='text/event-stream')


@app.websocket('/ws')
async def echo(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass
