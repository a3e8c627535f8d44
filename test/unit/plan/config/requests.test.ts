import { describe, expect, it } from 'vitest';
import { requestReadTimeout, requestsView } from '../../../../entrypoint/plan/config/requests.js';
import { cmd } from '../../../helpers/options.js';

describe('reading requests', () => {
  it('builds RequestReadTimeout as mod_wsgi-express does: a range only with a MinRate, 0 for off', () => {
    expect(requestReadTimeout(cmd([]).options)).toEqual(['header=15-30,MinRate=500', 'body=15,MinRate=500']);
    expect(requestReadTimeout(cmd(['--header-min-rate', '0', '--body-max-timeout', '40']).options)).toEqual(['header=15', 'body=15-40,MinRate=500']);
    expect(requestReadTimeout(cmd(['--header-timeout', '0', '--body-timeout', '0']).options)).toEqual(['header=0', 'body=0']);
  });

  it('carries the limits and timeouts with their mod_wsgi-express defaults', () => {
    expect(requestsView(cmd([]).options)).toMatchObject({
      socketTimeout: 60,
      serverBacklog: 500,
      limitRequestBody: 10485760,
      keepAliveTimeout: 2,
      gracefulTimeout: 15,
      chunkedRequest: false,
    });
  });
});
