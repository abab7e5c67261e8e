/**
 * What the request log keeps: method and path only. No IP address, no user agent, no headers (anonymous
 * research responses must leave no IP anywhere), and link tokens masked (/m/ client links, /s/ survey
 * links), so a log never holds a credential or a way to link a respondent to a response.
 */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export function maskTokens(url: string): string {
  return url.replace(/^\/m\/[^/?]+/, '/m/[token]').replace(/^\/s\/(?!withdraw(?:[/?]|$))[^/?]+/, '/s/[token]');
}

/** Fastify logger options for a level, optionally writing to a given stream (tests). */
export function requestLogOptions(level: string, stream?: { write(line: string): void }): object {
  return {
    level,
    redact: { paths: LOG_REDACT, censor: '[redacted]' },
    serializers: {
      // No query strings at all: journal search words and filters are content.
      req: (req: { method: string; url: string }) => ({ method: req.method, url: maskTokens(req.url.split('?')[0]) }),
    },
    ...(stream ? { stream } : {}),
  };
}
