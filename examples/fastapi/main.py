"""A FastAPI service on whisk: a JSON API, server-sent events and a WebSocket echo, with its
static files served by Apache (--url-alias /static static)."""
import asyncio
import os

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse, StreamingResponse

app = FastAPI(title='whisk example')


@app.get('/', response_class=HTMLResponse)
async def index():
    return ('<!doctype html><html><head><meta charset="utf-8"><title>FastAPI on whisk</title>'
            '<link rel="stylesheet" href="/static/site.css"></head>'
            '<body><h1>Hello from FastAPI on whisk</h1>'
            '<p><a href="/api/hello">/api/hello</a> · <a href="/events">/events</a> · /ws (WebSocket echo)</p>'
            '</body></html>')


@app.get('/api/hello')
async def hello(name: str = 'world'):
    return {'message': f'Hello, {name}!', 'pid': os.getpid()}


@app.get('/events')
async def events(count: int = 3, interval: float = 1.0):
    """Server-sent events: `count` events, `interval` seconds apart."""
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
            message = await websocket.receive()
            if message['type'] == 'websocket.disconnect':
                break
            if message.get('text') is not None:
                await websocket.send_text(message['text'])
            else:
                await websocket.send_bytes(message['bytes'])
    except WebSocketDisconnect:
        pass
