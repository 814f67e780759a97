import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDir, loadStoredModelFromDir } from './model-files.ts';

describe('loadModelFromDir', () => {
  let dir: string;
  const pointTo = (pointer: unknown) => writeFile(path.join(dir, 'current.json'), JSON.stringify(pointer));
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'digit-model-'));
    await writeFile(path.join(dir, 'digit-cnn-v2.onnx'), new Uint8Array([1, 2, 3]));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('follows current.json to the versioned file', async () => {
    await pointTo({ name: 'digit-cnn', version: '2', file: 'digit-cnn-v2.onnx', card: 'extra fields are fine' });
    expect(await loadModelFromDir(dir)).toEqual({ name: 'digit-cnn', version: '2', bytes: new Uint8Array([1, 2, 3]) });
  });

  it('reads the card current.json names, or the one beside the .onnx, to seed a database with', async () => {
    await writeFile(path.join(dir, 'digit-cnn-v2.card.json'), JSON.stringify({ version: '2', beside: true }));
    await writeFile(path.join(dir, 'named.card.json'), JSON.stringify({ version: '2', named: true }));
    await pointTo({ name: 'digit-cnn', version: '2', file: 'digit-cnn-v2.onnx', card: 'named.card.json' });
    expect(await loadStoredModelFromDir(dir)).toEqual({
      name: 'digit-cnn', version: '2', bytes: new Uint8Array([1, 2, 3]), card: { version: '2', named: true },
    });
    await pointTo({ name: 'digit-cnn', version: '2', file: 'digit-cnn-v2.onnx', card: '../elsewhere.json' });
    expect((await loadStoredModelFromDir(dir)).card).toEqual({ version: '2', beside: true });
  });

  it.each([
    ['a path outside the model directory', '../../etc/passwd.onnx'],
    ['an absolute path', '/tmp/x.onnx'],
    ['a file that is not .onnx', 'current.json'],
  ])('refuses %s', async (_, file) => {
    await pointTo({ name: 'digit-cnn', version: '3', file });
    await expect(loadModelFromDir(dir)).rejects.toThrow();
  });
});
