import { describe, expect, it } from 'vitest';
import { TRACEPARENT_PATTERN, traceView } from '../../../../entrypoint/plan/config/trace.js';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const pattern = new RegExp(TRACEPARENT_PATTERN);

describe('the traceparent whisk takes from a trusted proxy', () => {
  it.each([
    [`00-${ID}-${PARENT}-01`, '01'],
    [`00-${ID}-${PARENT}-00`, '00'],
    // A later version: its fields after a dash are ignored, as the specification's versioning says.
    [`01-${ID}-${PARENT}-01-what-comes-later`, '01'],
    [`cc-${ID}-${PARENT}-09`, '09'],
  ])('accepts %s (trace-id, parent-id, flags captured)', (value, flags) => {
    expect(pattern.exec(value)?.slice(1)).toEqual([ID, PARENT, flags]);
  });

  it.each([
    ['version ff', `ff-${ID}-${PARENT}-01`],
    ['version 00 with more fields', `00-${ID}-${PARENT}-01-extra`],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['an all-zero parent-id', `00-${ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${ID.toUpperCase()}-${PARENT}-01`],
    ['a short trace-id', `00-${ID.slice(1)}-${PARENT}-01`],
    ['a long parent-id', `00-${ID}-${PARENT}0-01`],
    ['a one-digit version', `0-${ID}-${PARENT}-01`],
    ['two headers joined by Apache', `00-${ID}-${PARENT}-01, 00-${ID}-${PARENT}-01`],
    ['a later version without its flags', `01-${ID}-${PARENT}`],
    ['a newline', `00-${ID}-${PARENT}-01\n`],
  ])('refuses %s', (_, value) => {
    expect(pattern.test(value)).toBe(false);
  });
});

describe('traceView', () => {
  it('takes no traceparent from any peer without --trust-proxy', () => {
    expect(traceView([]).trustedTraceparent).toBeUndefined();
  });

  it("takes a --trust-proxy peer's, tested on the connection's address (a /0 as two halves)", () => {
    expect(traceView(['10.0.0.0/8', '0.0.0.0/0']).trustedTraceparent).toBe(
      "-z reqenv('whisk_trace_id') && (%{CONN_REMOTE_ADDR} -ipmatch '10.0.0.0/8' || %{CONN_REMOTE_ADDR} -ipmatch '0.0.0.0/1' || " +
        `%{CONN_REMOTE_ADDR} -ipmatch '128.0.0.0/1') && req('traceparent') =~ m#${TRACEPARENT_PATTERN}#`,
    );
  });
});
