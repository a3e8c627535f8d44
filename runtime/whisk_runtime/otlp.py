"""OpenTelemetry export of whisk's spans, when OTEL_EXPORTER_OTLP_ENDPOINT (or
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: for each sampled request, a server span (whisk's
own, whose id Apache put in the traceparent the application sees, so the application's spans
are its children) and a child span `queue` for the time the request waited before the
application was called, sent over OTLP/HTTP from each process, after Python started in it
(no pre-fork problem), in batches from a thread of its own.

The environment variables are the OpenTelemetry specification's
(https://opentelemetry.io/docs/specs/otel/protocol/exporter/,
https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/):
the endpoint, OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the default, or http/json; grpc is
not spoken), OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TIMEOUT (ms), OTEL_SERVICE_NAME,
OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_EXPORTER=none and OTEL_SDK_DISABLED=true to turn it off,
OTEL_BSP_SCHEDULE_DELAY (ms), OTEL_BSP_MAX_QUEUE_SIZE and OTEL_BSP_MAX_EXPORT_BATCH_SIZE.

The messages are OTLP's ExportTraceServiceRequest (opentelemetry-proto's
collector/trace/v1), written here for the few fields whisk sets: Debian packages neither the
OpenTelemetry SDK nor its generated protobuf classes."""
import atexit
import collections
import json
import os
import struct
import sys
import threading
import urllib.parse

SERVER, INTERNAL = 2, 1  # Span.SpanKind
STATUS_ERROR = 2  # Status.StatusCode
PROTOCOLS = ('http/protobuf', 'http/json')


def _warn(message):
    sys.stderr.write('whisk: warning: OpenTelemetry export: %s\n' % message)
    sys.stderr.flush()


def _first(environ, *names):
    for name in names:
        value = environ.get(name, '').strip()
        if value:
            return value
    return ''


def _pairs(text):
    """`k1=v1,k2=v2` (W3C baggage's format, values percent-decoded) as a list of pairs."""
    pairs = []
    for item in text.split(','):
        if '=' in item:
            key, value = item.split('=', 1)
            pairs.append((urllib.parse.unquote(key.strip()), urllib.parse.unquote(value.strip())))
    return pairs


class Settings(object):
    """The exporter's settings from the environment; `url` None when export is off."""

    def __init__(self, environ=None):
        environ = os.environ if environ is None else environ
        self.url = None
        if environ.get('OTEL_SDK_DISABLED', '').strip().lower() == 'true' or \
                environ.get('OTEL_TRACES_EXPORTER', 'otlp').strip().lower() not in ('otlp', ''):
            return
        url = _first(environ, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')
        base = _first(environ, 'OTEL_EXPORTER_OTLP_ENDPOINT')
        if not url and base:
            url = base.rstrip('/') + '/v1/traces'
        if not url:
            return
        self.protocol = _first(environ, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL') or 'http/protobuf'
        if self.protocol not in PROTOCOLS:
            _warn('OTEL_EXPORTER_OTLP_PROTOCOL %s is not spoken (allowed: %s); no spans are sent' % (self.protocol, ', '.join(PROTOCOLS)))
            return
        if urllib.parse.urlsplit(url).scheme not in ('http', 'https'):
            _warn('the endpoint %s is not an http or https URL; no spans are sent' % url)
            return
        self.url = url
        self.headers = _pairs(_first(environ, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'))
        self.timeout = self._number(environ, 10000, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT') / 1000.0
        self.delay = self._number(environ, 5000, 'OTEL_BSP_SCHEDULE_DELAY') / 1000.0
        self.max_queue = self._number(environ, 2048, 'OTEL_BSP_MAX_QUEUE_SIZE')
        self.batch = self._number(environ, 512, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE')
        resource = dict(_pairs(environ.get('OTEL_RESOURCE_ATTRIBUTES', '')))
        service = environ.get('OTEL_SERVICE_NAME', '').strip()
        resource['service.name'] = service or resource.get('service.name') or 'unknown_service'
        resource.setdefault('telemetry.sdk.name', 'whisk')
        resource['process.pid'] = os.getpid()
        self.resource = sorted(resource.items())

    @staticmethod
    def _number(environ, default, *names):
        value = _first(environ, *names)
        if value.isdigit() and int(value) > 0:
            return int(value)
        if value:
            _warn('%s=%s is not a positive whole number; %d is used' % (names[0], value, default))
        return default


class Span(object):
    """One finished span. Ids are hex strings (trace 32 digits, span 16, parent '' for none),
    times nanoseconds since the epoch, attributes (key, str or int or bool) pairs."""
    __slots__ = ('trace_id', 'span_id', 'parent_id', 'trace_state', 'flags', 'name', 'kind', 'start', 'end', 'attributes', 'error')

    def __init__(self, trace_id, span_id, parent_id, name, kind, start, end, attributes=(), trace_state='', flags=1, error=False):
        self.trace_id, self.span_id, self.parent_id = trace_id, span_id, parent_id
        self.trace_state, self.flags, self.name, self.kind = trace_state, flags, name, kind
        self.start, self.end, self.attributes, self.error = start, end, list(attributes), error


# Protocol Buffers' wire format (https://protobuf.dev/programming-guides/encoding/), written
# for speed: a span is encoded in a few microseconds, in the exporter's thread.

def _varint(n):
    if n < 0x80:
        return bytes((n,))
    out = bytearray()
    while True:
        byte = n & 0x7f
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, wire_type):
    return _varint(number << 3 | wire_type)


def _message(number, data):
    """A length-delimited field (bytes, string or message); nothing when empty (proto3's default)."""
    return _field(number, 2) + _varint(len(data)) + data if data else b''


def _string(number, text):
    return _message(number, text.encode('utf-8'))


def _any_value(value):
    """common.v1.AnyValue: string_value 1, bool_value 2, int_value 3 (int64, two's complement)."""
    if isinstance(value, bool):
        return b'\x10' + _varint(int(value))
    if isinstance(value, int):
        return b'\x18' + _varint(value & 0xffffffffffffffff)
    data = str(value).encode('utf-8')
    return b'\x0a' + _varint(len(data)) + data


# An attribute key's encoding (KeyValue.key, field 1), made once.
_KEYS = {}


def _key_values(number, pairs):
    """Repeated common.v1.KeyValue (key 1, value 2)."""
    tag = _field(number, 2)
    out = []
    for key, value in pairs:
        encoded = _KEYS.get(key)
        if encoded is None:
            encoded = _KEYS[key] = _string(1, key)
        any_value = _any_value(value)
        kv = encoded + b'\x12' + _varint(len(any_value)) + any_value
        out.append(tag + _varint(len(kv)) + kv)
    return b''.join(out)


_PACK_TIMES = struct.Struct('<BQBQ').pack  # fields 7 and 8, fixed64: start and end


def _span_protobuf(span):
    """trace.v1.Span."""
    return b''.join((
        b'\x0a\x10', bytes.fromhex(span.trace_id), b'\x12\x08', bytes.fromhex(span.span_id),
        _string(3, span.trace_state), b'\x22\x08' + bytes.fromhex(span.parent_id) if span.parent_id else b'',
        _string(5, span.name), b'\x30' + _varint(span.kind),
        _PACK_TIMES(0x39, span.start, 0x41, span.end), _key_values(9, span.attributes),
        b'\x7a\x02\x18\x02' if span.error else b'',  # status (15): code (3) ERROR
        b'\x85\x01', struct.pack('<I', span.flags)))


def encode_protobuf(spans, resource):
    """collector.trace.v1.ExportTraceServiceRequest: one ResourceSpans (resource 1, scope_spans
    2) with one ScopeSpans (scope 1: InstrumentationScope name 1; spans 2)."""
    scope = _message(1, _string(1, 'whisk'))
    scope_spans = scope + b''.join(_message(2, _span_protobuf(s)) for s in spans)
    resource_spans = _message(1, _key_values(1, resource)) + _message(2, scope_spans)
    return _message(1, resource_spans)


def _json_value(value):
    if isinstance(value, bool):
        return {'boolValue': value}
    if isinstance(value, int):
        return {'intValue': str(value)}  # int64 is a string in OTLP/JSON
    return {'stringValue': str(value)}


def _json_attributes(pairs):
    return [{'key': k, 'value': _json_value(v)} for k, v in pairs]


def encode_json(spans, resource):
    """The same request in OTLP/JSON (ids as hex strings, 64-bit numbers as strings,
    enums as numbers: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding)."""
    def span(s):
        out = {'traceId': s.trace_id, 'spanId': s.span_id, 'name': s.name, 'kind': s.kind, 'flags': s.flags,
               'startTimeUnixNano': str(s.start), 'endTimeUnixNano': str(s.end), 'attributes': _json_attributes(s.attributes)}
        if s.parent_id:
            out['parentSpanId'] = s.parent_id
        if s.trace_state:
            out['traceState'] = s.trace_state
        if s.error:
            out['status'] = {'code': STATUS_ERROR}
        return out
    return json.dumps({'resourceSpans': [{'resource': {'attributes': _json_attributes(resource)},
                                          'scopeSpans': [{'scope': {'name': 'whisk'}, 'spans': [span(s) for s in spans]}]}]},
                      separators=(',', ':')).encode('utf-8')


class Exporter(object):
    """Spans queued by request threads (or the event loop) and sent in batches by a thread of
    this process's own, every `settings.delay` seconds or as soon as a batch is full (as the
    SDK's BatchSpanProcessor does); a full queue drops spans (counted, and said once a batch).
    What is queued at exit is sent then."""

    def __init__(self, settings, post=None):
        self.settings = settings
        # A deque: appends and pops are atomic, without a lock for the request threads to take.
        self._spans = collections.deque()
        self._dropped = 0
        self._post = post or self._http_post
        self._lock = threading.Lock()
        self._full = threading.Event()
        threading.Thread(target=self._run, name='whisk-otlp', daemon=True).start()
        atexit.register(self.flush)

    def add(self, *spans):
        if len(self._spans) >= self.settings.max_queue:
            self._dropped += len(spans)
            return
        self._spans.extend(spans)
        if len(self._spans) >= self.settings.batch:
            self._full.set()

    def _take(self):
        batch = []
        while len(batch) < self.settings.batch:
            try:
                batch.append(self._spans.popleft())
            except IndexError:
                break
        return batch

    def flush(self):
        """Sends what is queued now (the exporter's thread, and at exit)."""
        with self._lock:
            while True:
                batch = self._take()
                if not batch:
                    return
                self._send(batch)

    def _run(self):
        while True:
            self._full.wait(self.settings.delay)
            self._full.clear()
            self.flush()

    def _send(self, batch):
        s = self.settings
        if s.protocol == 'http/json':
            body, content_type = encode_json(batch, s.resource), 'application/json'
        else:
            body, content_type = encode_protobuf(batch, s.resource), 'application/x-protobuf'
        try:
            self._post(s.url, body, content_type)
        except Exception as error:
            _warn('%d spans not sent to %s (%s)' % (len(batch), s.url, error))
        if self._dropped:
            _warn('%d spans dropped: more than OTEL_BSP_MAX_QUEUE_SIZE %d were waiting' % (self._dropped, s.max_queue))
            self._dropped = 0

    def _http_post(self, url, body, content_type):
        # Imported here, on the first export: urllib.request (http.client, email, ssl) costs
        # every process ~20 ms at its start, and most run without --trace-export.
        import urllib.request

        request = urllib.request.Request(url, data=body, method='POST', headers=dict(self.settings.headers, **{'Content-Type': content_type}))
        with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
            response.read()


def exporter_from_environment(environ=None):
    """An Exporter when the environment asks for export, else None."""
    settings = Settings(environ)
    return Exporter(settings) if settings.url else None


def parse_traceparent(value):
    """(trace_id, span_id, flags) of the traceparent Apache gives the application (always
    well formed: httpd.conf writes it), or None."""
    parts = value.split('-')
    if len(parts) != 4 or len(parts[1]) != 32 or len(parts[2]) != 16 or len(parts[3]) != 2:
        return None
    try:
        return parts[1], parts[2], int(parts[3], 16)
    except ValueError:
        return None


def _random_span_id():
    return os.urandom(8).hex()


def request_spans(traceparent, parent_id, trace_state, read, called, ended, attributes, error):
    """The server span and its `queue` child for one request: `read` when Apache read it,
    `called` when the application was called, `ended` when its response was done (seconds since
    the epoch); None when the request is not sampled."""
    context = parse_traceparent(traceparent)
    if context is None or not context[2] & 1:
        return None
    trace_id, span_id, flags = context
    ns = lambda t: int(t * 1e9)  # noqa: E731
    server = Span(trace_id, span_id, parent_id, attributes.get('http.request.method', 'HTTP'), SERVER, ns(read), ns(max(ended, read)),
                  sorted(attributes.items()), trace_state, flags, error)
    waited = Span(trace_id, _random_span_id(), span_id, 'queue', INTERNAL, ns(read), ns(max(called, read)), flags=flags)
    return server, waited
