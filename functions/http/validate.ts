// zod validation that answers in the API's error format instead of zod-validator's default body.
import { zValidator } from '@hono/zod-validator';
import type { Context, ValidationTargets } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { ApiError, errorResponse } from '../errors.ts';
import { bodyBytes } from './body-bytes.ts';

/** One readable line from the first zod issue, e.g. `pixels: Too small: expected array to have >=784 items`. */
export function describeIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid request';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
  code: string,
  status: ContentfulStatusCode = 400,
) =>
  zValidator(target, schema, (result, c) => {
    if (!result.success) return errorResponse(c, status, code, describeIssue(result.error));
  });

/**
 * Reads a body as JSON, a syntax error (an empty body too) being 400 invalid-json. Hono's JSON validator
 * throws an HTTPException that only its message text tells apart from other 400s, so bodies are read here.
 */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(await bodyBytes(c)));
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid JSON');
  }
}

/** For bodies that are read by hand (content negotiation): parse or throw a 400. */
export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown, code: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, code, describeIssue(result.error));
  return result.data;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();
