import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDir } from './model-files.ts';

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

  it.each([
    ['a path outside the model directory', '../../etc/passwd.onnx'],
    ['an absolute path', '/tmp/x.onnx'],
    ['a file that is not .onnx', 'current.json'],
  ])('refuses %s', async (_, file) => {
    await pointTo({ name: 'digit-cnn', version: '3', file });
    await expect(loadModelFromDir(dir)).rejects.toThrow();
  });
});
