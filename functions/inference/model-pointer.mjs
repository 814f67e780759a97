// model/current.json names the version a model folder serves: read alike by the Node server
// (node/model-files.ts) and the Worker's build (worker/generate-bundled.mjs, which runs in plain Node
// before any TypeScript loader). training/versions.py writes it.
import { z } from 'zod';

/** A plain file name inside the model folder, never a path elsewhere. */
const FILE_NAME = /^[\w.-]+$/;

const pointerSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  file: z.string().regex(FILE_NAME).endsWith('.onnx'),
  card: z.unknown().optional(),
});

/**
 * current.json's text, checked: name, version, the .onnx file and its card's file (the one current.json
 * names if it is a plain file name, else the one beside the .onnx). Throws, naming the file, if it is not.
 */
export function parseModelPointer(text) {
  const result = pointerSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`model/current.json: ${issue.path.join('.') || 'pointer'}: ${issue.message}`);
  }
  const { name, version, file, card } = result.data;
  return { name, version, file, card: typeof card === 'string' && FILE_NAME.test(card) ? card : file.replace(/\.onnx$/, '.card.json') };
}
