/**
 * --cache-responses in the image, with Django: a public page is answered from the cache; a
 * page that sets a session cookie (marked public by mistake) is never answered from it, so
 * one visitor's page and cookie never reach another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, removeAll, serving } from '../helpers/docker.js';
import { fixture } from '../helpers/files.js';
import { request } from '../helpers/http.js';

beforeAll(buildImages);
afterAll(removeAll);

describe('--cache-responses with Django', () => {
  it("answers a public page from the cache and never one visitor's session page to another", async () => {
    const image = await buildApp('cache-django', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--cache-responses", "app.py"]\n',
      'apt-packages.txt': 'python3-django\n',
      'app.py': fixture('cache-django.py'),
    });
    const c = await serving(image);
    const first = await request(c.port, '/public/');
    const second = await request(c.port, '/public/');
    expect(second.headers.get('x-cache')).toMatch(/^HIT/);
    expect(second.body).toBe(first.body);

    const alice = await request(c.port, '/account/');
    const cookie = alice.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toMatch(/^sessionid=/);
    expect(alice.headers.get('cache-control')).toMatch(/private/);
    // Alice's session works; Bob, without her cookie, gets a page and cookie of his own.
    expect((await request(c.port, '/account/', { headers: { Cookie: cookie } })).body).toBe(alice.body);
    for (let i = 0; i < 3; i++) {
      const bob = await request(c.port, '/account/');
      expect(bob.body).not.toBe(alice.body);
      expect(bob.headers.get('set-cookie')).not.toContain(cookie);
      expect(bob.headers.get('x-cache')).toMatch(/^MISS/);
    }
  });
});
