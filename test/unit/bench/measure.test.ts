import { describe, expect, it } from 'vitest';
import { parseH2load } from '../../../bench/measure.mjs';

/** h2load 1.52's summary, as it prints it. */
const OUT = `Application protocol: h2
finished in 10.01s, 1322.67 req/s, 174.92KB/s
requests: 3968 total, 4032 started, 3968 done, 3960 succeeded, 8 failed, 2 errored, 1 timeout
status codes: 3950 2xx, 3 3xx, 4 4xx, 1 5xx
traffic: 524.75KB (537346) total, 305.46KB (312793) headers (space savings 65.89%), 147.32KB (150860) data
`;

describe("h2load's figures", () => {
  it('takes req/s, requests, errors and bytes from the summary, and the percentiles from the log file', () => {
    // --log-file: start time (µs), status, duration (µs), one line a request.
    const log = Array.from({ length: 100 }, (_, i) => `${1000 + i}\t200\t${(i + 1) * 1000}`).join('\n');
    const r = parseH2load(OUT, log);
    expect(r).toMatchObject({ requests: 3968, rps: 1322.67, p50: 51, p99: 100, non2xx: 8, socketErrors: 3 });
    expect(r.bytesPerResponse).toBeCloseTo(537346 / 3968);
  });
});
