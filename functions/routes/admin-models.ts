// /api/admin/models/*: model versions in the database (mounted by admin.ts, behind its bearer token).
//   GET  /                    the versions with their cards, and which one is current
//   POST /                    {"card": {...}, "onnx": base64} publishes a version and makes it current
//   POST /:version/current    makes a published version current (rollback, promotion)
//   POST /reload              checks the database now instead of at the next poll
//   GET  /live                each version's predictions and accuracy on their labels since it went live
// Every replica serves the current version on its own; the one answering a change serves it at once.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { limitBody } from '../http/body-limit.ts';
import { requireJson } from '../http/require-json.ts';
import { parseOrThrow, readJson, validate } from '../http/validate.ts';
import { checkCard, ModelRejectedError, VERSION_PATTERN } from '../inference/model-check.ts';
import type { ModelHolder, ModelVersions } from '../inference/model-holder.ts';
import { ModelVersionExistsError } from '../store/model-registry.ts';
import { StoreUnavailableError } from '../store/store.ts';

/** A model of ~400 KB is ~530 KB in base64; room for much larger ones, but not for anything. */
export const MODEL_UPLOAD_BYTES = 16 * 1024 * 1024;

const publishSchema = z.object({
  card: z.record(z.string(), z.unknown()),
  onnx: z.base64().min(1),
});

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function versionsOf(models: ModelHolder): ModelVersions {
  if (!models.versions) throw new ApiError(404, 'not-found', 'This server keeps no model versions in a database');
  return models.versions;
}

/** The errors of a version that cannot be served or already exists, as 4xx answers. */
async function asApiErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ModelRejectedError) throw new ApiError(422, 'invalid-model', error.message);
    if (error instanceof ModelVersionExistsError) {
      throw new ApiError(409, 'model-version-exists', `${error.message}; publish it under a new version`);
    }
    throw error;
  }
}

export function modelAdminRoutes(deps: Pick<AppDeps, 'models'>) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const versions = await versionsOf(deps.models).list();
      const current = versions.find((v) => v.current);
      return c.json({ current: current ? { name: current.name, version: current.version } : null, versions });
    })
    // A prediction names the version that made it, so a version's live figures are its own rows' counts.
    .get('/live', async (c) => {
      const { byModel } = await c.var.store.stats();
      const versions = byModel.map((m) => ({
        version: m.modelVersion,
        predictions: m.total,
        labeled: m.labeled,
        correct: m.correct,
        accuracy: m.labeled ? m.correct / m.labeled : null,
      }));
      return c.json({ versions });
    })
    .post('/', requireJson, limitBody(MODEL_UPLOAD_BYTES), async (c) => {
      const versions = versionsOf(deps.models);
      const body = parseOrThrow(publishSchema, await readJson(c), 'invalid-model-upload');
      const model = await asApiErrors(checkCard(body.card, fromBase64(body.onnx)));
      return c.json({ model: await asApiErrors(versions.publish(model)) }, 201);
    })
    .post('/reload', async (c) => {
      try {
        return c.json({ model: await deps.models.reload() });
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error; // a 503: try again shortly
        // The previous model stays in service; the admin sees why the new one did not load.
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError(500, 'model-reload-failed', `The current model could not be loaded: ${reason}`);
      }
    })
    .post(
      '/:version/current',
      validate('param', z.object({ version: z.string().regex(VERSION_PATTERN) }), 'model-version-not-found', 404),
      async (c) => {
        const { version } = c.req.valid('param');
        const model = await asApiErrors(versionsOf(deps.models).setCurrent(version));
        if (!model) throw new ApiError(404, 'model-version-not-found', `No model version ${version} in the database`);
        return c.json({ model });
      },
    );
}
