"""A Channels WebSocket consumer: every message is echoed to the group of the room's sockets
(one process's in-memory channel layer; see settings.CHANNEL_LAYERS)."""
from channels.generic.websocket import AsyncJsonWebsocketConsumer


class EchoConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.room = 'room-' + self.scope['url_route']['kwargs']['room']
        await self.channel_layer.group_add(self.room, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.room, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.channel_layer.group_send(self.room, {'type': 'room.message', 'message': content})

    async def room_message(self, event):
        await self.send_json(event['message'])
