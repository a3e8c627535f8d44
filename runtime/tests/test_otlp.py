"""whisk_runtime.otlp: the settings the OpenTelemetry environment variables give, the spans of
a request, and the two encodings, read back by a decoder of the wire format written here from
the protobuf encoding guide and opentelemetry-proto's field numbers."""
import asyncio
import json
import os
import struct
import time
import unittest

from whisk_runtime import asgi, otlp

TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'
SPAN = '00f067aa0ba902b7'
CALLER = 'b7ad6b7169203331'


def decode(data):
    """A protobuf message as {field number: [values]}: varints as ints, fixed64/fixed32 as
    ints, length-delimited fields as bytes (decode again for a nested message)."""
    fields, i = {}, 0

    def varint():
        nonlocal i
        shift = value = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7f) << shift
            shift += 7
            if not byte & 0x80:
                return value
    while i < len(data):
        key = varint()
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value = varint()
        elif wire_type == 1:
            value = struct.unpack('<Q', data[i:i + 8])[0]
            i += 8
        elif wire_type == 5:
            value = struct.unpack('<I', data[i:i + 4])[0]
            i += 4
        elif wire_type == 2:
            length = varint()
            value = data[i:i + length]
            i += length
        else:
            raise ValueError('wire type %d' % wire_type)
        fields.setdefault(number, []).append(value)
    return fields


def attributes(encoded_key_values):
    """Repeated KeyValue (key 1, value 2: AnyValue string 1, bool 2, int 3) as a dict."""
    out = {}
    for kv in encoded_key_values:
        kv = decode(kv)
        value = decode(kv[2][0])
        out[kv[1][0].decode()] = value[1][0].decode() if 1 in value else value.get(3, value.get(2))[0]
    return out


def spans_of_request(parent=CALLER, flags='01', error=False):
    now = time.time()
    return otlp.request_spans('00-%s-%s-%s' % (TRACE, SPAN, flags), parent, 'vendor=x', now - 0.03, now - 0.01, now,
                              {'http.request.method': 'GET', 'url.path': '/café', 'http.response.status_code': 503 if error else 200}, error)


class SettingsTest(unittest.TestCase):
    def test_off_without_an_endpoint_or_when_disabled(self):
        self.assertIsNone(otlp.Settings({}).url)
        self.assertIsNone(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c:4318', 'OTEL_SDK_DISABLED': 'true'}).url)
        self.assertIsNone(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c:4318', 'OTEL_TRACES_EXPORTER': 'none'}).url)

    def test_the_base_url_gets_v1_traces_and_the_signal_url_is_taken_as_it_is(self):
        self.assertEqual(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c:4318/'}).url, 'http://c:4318/v1/traces')
        self.assertEqual(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c:4318',
                                        'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT': 'https://t/x'}).url, 'https://t/x')

    def test_protocol_headers_service_and_resource(self):
        s = otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c:4318', 'OTEL_EXPORTER_OTLP_PROTOCOL': 'http/json',
                           'OTEL_EXPORTER_OTLP_HEADERS': 'api-key=a%20b,x-tenant=7', 'OTEL_SERVICE_NAME': 'shop',
                           'OTEL_RESOURCE_ATTRIBUTES': 'service.name=ignored,deployment.environment=prod'})
        self.assertEqual((s.protocol, s.headers), ('http/json', [('api-key', 'a b'), ('x-tenant', '7')]))
        resource = dict(s.resource)
        self.assertEqual((resource['service.name'], resource['deployment.environment']), ('shop', 'prod'))
        self.assertEqual(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c'}).protocol, 'http/protobuf')

    def test_grpc_and_other_urls_are_refused_with_a_warning(self):
        self.assertIsNone(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c:4317', 'OTEL_EXPORTER_OTLP_PROTOCOL': 'grpc'}).url)
        self.assertIsNone(otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'file:///etc/passwd'}).url)


class SpansTest(unittest.TestCase):
    def test_a_server_span_with_apaches_id_and_the_callers_parent_and_a_queue_child(self):
        server, waited = spans_of_request()
        self.assertEqual((server.trace_id, server.span_id, server.parent_id, server.kind), (TRACE, SPAN, CALLER, otlp.SERVER))
        self.assertEqual((waited.trace_id, waited.parent_id, waited.name, waited.kind), (TRACE, SPAN, 'queue', otlp.INTERNAL))
        self.assertEqual(len(waited.span_id), 16)
        self.assertEqual(waited.start, server.start)
        self.assertAlmostEqual((waited.end - waited.start) / 1e6, 20, delta=1)
        self.assertAlmostEqual((server.end - server.start) / 1e6, 30, delta=1)

    def test_nothing_for_an_unsampled_or_malformed_context(self):
        self.assertIsNone(spans_of_request(flags='00'))
        self.assertIsNone(otlp.request_spans('garbage', '', '', 0, 0, 0, {}, False))


class EncodingTest(unittest.TestCase):
    def test_protobuf_as_opentelemetry_proto_defines_it(self):
        spans = spans_of_request(error=True)
        request = decode(otlp.encode_protobuf(spans, [('service.name', 'shop'), ('process.pid', 42)]))
        resource_spans = decode(request[1][0])
        self.assertEqual(attributes(decode(resource_spans[1][0])[1]), {'service.name': 'shop', 'process.pid': 42})
        scope_spans = decode(resource_spans[2][0])
        self.assertEqual(decode(scope_spans[1][0])[1], [b'whisk'])
        server, waited = (decode(s) for s in scope_spans[2])
        self.assertEqual((server[1][0].hex(), server[2][0].hex(), server[4][0].hex()), (TRACE, SPAN, CALLER))
        self.assertEqual((server[3][0], server[5][0], server[6][0], server[16][0]), (b'vendor=x', b'GET', 2, 1))
        self.assertEqual((server[7][0], server[8][0]), (spans[0].start, spans[0].end))
        self.assertEqual(attributes(server[9]), {'http.request.method': 'GET', 'url.path': '/café', 'http.response.status_code': 503})
        self.assertEqual(decode(server[15][0])[3], [2])  # Status.code ERROR
        self.assertEqual((waited[4][0].hex(), waited[5][0], waited[6][0]), (SPAN, b'queue', 1))
        self.assertNotIn(15, waited)

    def test_json_as_the_otlp_json_mapping_says(self):
        spans = spans_of_request()
        body = json.loads(otlp.encode_json(spans, [('service.name', 'shop')]))
        resource_spans = body['resourceSpans'][0]
        self.assertEqual(resource_spans['resource']['attributes'], [{'key': 'service.name', 'value': {'stringValue': 'shop'}}])
        server = resource_spans['scopeSpans'][0]['spans'][0]
        self.assertEqual((server['traceId'], server['spanId'], server['parentSpanId'], server['kind']), (TRACE, SPAN, CALLER, 2))
        self.assertEqual(server['startTimeUnixNano'], str(spans[0].start))
        self.assertIn({'key': 'http.response.status_code', 'value': {'intValue': '200'}}, server['attributes'])


class ExporterTest(unittest.TestCase):
    def test_batches_are_posted_from_a_thread_and_at_flush(self):
        posted = []
        settings = otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c', 'OTEL_EXPORTER_OTLP_PROTOCOL': 'http/json',
                                  'OTEL_BSP_SCHEDULE_DELAY': '100'})
        exporter = otlp.Exporter(settings, post=lambda url, body, kind: posted.append((url, json.loads(body), kind)))
        exporter.add(*spans_of_request())
        for _ in range(50):
            if posted:
                break
            time.sleep(0.02)
        self.assertEqual(posted[0][0], 'http://c/v1/traces')
        self.assertEqual(len(posted[0][1]['resourceSpans'][0]['scopeSpans'][0]['spans']), 2)
        self.assertEqual(posted[0][2], 'application/json')
        self.assertEqual(dict(settings.resource)['process.pid'], os.getpid())

    def test_a_full_batch_is_sent_without_waiting_for_the_delay(self):
        posted = []
        settings = otlp.Settings({'OTEL_EXPORTER_OTLP_ENDPOINT': 'http://c', 'OTEL_BSP_SCHEDULE_DELAY': '60000',
                                  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE': '4'})
        exporter = otlp.Exporter(settings, post=lambda url, body, kind: posted.append(body))
        exporter.add(*spans_of_request())
        time.sleep(0.2)
        self.assertEqual(posted, [])  # 2 of 4: waits for the delay
        exporter.add(*spans_of_request())
        for _ in range(50):
            if posted:
                break
            time.sleep(0.02)
        self.assertEqual(len(decode(decode(decode(posted[0])[1][0])[2][0])[2]), 4)


class AsgiParentSpanTest(unittest.TestCase):
    """asgi.traced: the caller's span reaches the exporter, never the application."""

    def run_app(self, exporter):
        seen = {}

        async def app(scope, receive, send):
            seen['headers'] = dict(scope['headers'])
            await send({'type': 'http.response.start', 'status': 200, 'headers': []})

        async def send(message):
            pass
        scope = {'type': 'http', 'method': 'GET', 'path': '/', 'headers': [
            (b'traceparent', ('00-%s-%s-01' % (TRACE, SPAN)).encode()), (b'x-whisk-parent-span', CALLER.encode()),
            (b'x-request-start', b't=%d' % int((time.time() - 0.01) * 1e6))]}
        asyncio.run(asgi.traced(app, exporter)(scope, None, send))
        return seen['headers']

    def test_taken_off_with_export_and_without(self):
        added = []

        class Exporter(object):
            def add(self, *spans):
                added.extend(spans)
        self.assertNotIn(b'x-whisk-parent-span', self.run_app(Exporter()))
        self.assertEqual((added[0].span_id, added[0].parent_id, added[1].name), (SPAN, CALLER, 'queue'))
        self.assertNotIn(b'x-whisk-parent-span', self.run_app(None))


if __name__ == '__main__':
    unittest.main()
