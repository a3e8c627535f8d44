import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asgiRouteView, prefixPattern } from '../../../../entrypoint/plan/config/asgi-route.js';
import { contextOf } from '../../../helpers/plan.js';

const app = { type: 'asgi', entryPoint: 'main', callableObject: 'app' } as const;
const route = (args: string[], over: Record<string, unknown> = {}, status = false) => asgiRouteView(contextOf(args, { ...app, ...over }), status);

describe('the route to the ASGI processes', () => {
  it('is in server context with whisk’s empty document root: Apache keeps /.whisk/, the status page and each alias', () => {
    expect(route([])).toEqual({ apache: ['^/[.]whisk(/|$)'], outsideMount: undefined });
    const aliases = [
      { url: '/static', path: '/app/static', isFile: false },
      { url: '/favicon.ico', path: '/app/favicon.ico', isFile: true },
    ];
    expect(route(['--mount-point', '/api/'], { aliases }, true)).toEqual({
      apache: ['^/[.]whisk(/|$)', '^/server-status', '^/static(/|$)', '^/favicon[.]ico(/|$)'],
      outsideMount: '!^/api(/|$)',
    });
  });

  it('is per directory where a file on disk, a user’s rewrite rule or a directory index may answer first', () => {
    expect(route([], { documentRoot: '/app/htdocs' })).toBeUndefined();
    expect(route([], { rewriteRules: '/app/rules.conf' })).toBeUndefined();
    expect(route(['--directory-index', 'index.html'])).toBeUndefined();
  });

  it('is per directory for a URL path no plain mod_rewrite pattern spells', () => {
    expect(route([], { aliases: [{ url: '/my files', path: '/app/f', isFile: false }] })).toBeUndefined();
    expect(route(['--mount-point', '/a"b'])).toBeUndefined();
  });
});

describe('a URL-path prefix as a mod_rewrite pattern', () => {
  it('matches the path and what is below it, as mod_alias does, and nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\/[^\s"\\^[\]/]{1,8}){1,3}$/u), fc.stringMatching(/^[^\s/]{0,6}$/u), (url, tail) => {
        const p = prefixPattern(url);
        expect(p).toBeDefined();
        // Written without a backslash, a quote or white space: mod_rewrite's parser keeps it as it is.
        expect(p).not.toMatch(/[\s"\\]/);
        const re = new RegExp(p as string, 'u');
        expect(re.test(url)).toBe(true);
        expect(re.test(`${url}/${tail}`)).toBe(true);
        expect(re.test(`${url}x${tail}`)).toBe(false);
      }),
    );
  });

  it('has no plain spelling for white space, a quote, a backslash, a caret or a bracket', () => {
    for (const url of ['/a b', '/a"b', '/a\\b', '/a^b', '/a[b', '/a]b']) expect(prefixPattern(url)).toBeUndefined();
    expect(prefixPattern('/')).toBe('^/');
  });
});
