// The API's types come from the server's handlers; should a handler's answer stop being inferable
// (a handler that no longer returns c.json, say), they would quietly turn into `any` or `never`
// and the page would typecheck against nothing. These checks fail `tsc` (npm test runs it first).
import { describe, expectTypeOf, it } from 'vitest';
import type { FeedbackAnswer, HistoryItem, NumberAnswer, NumberDigit, Prediction, Stats } from './api-types';

describe('API types', () => {
  it('are read from the handlers, neither any nor never', () => {
    expectTypeOf<Prediction>().not.toBeAny();
    expectTypeOf<Prediction>().not.toBeNever();
    expectTypeOf<Prediction['id']>().toBeString();
    expectTypeOf<NumberAnswer>().not.toBeAny();
    expectTypeOf<NumberAnswer>().not.toBeNever();
    expectTypeOf<NumberAnswer['text']>().toBeString();
    expectTypeOf<NumberDigit['id']>().toBeString();
    expectTypeOf<NumberDigit['box']['width']>().toBeNumber();
    expectTypeOf<HistoryItem>().not.toBeAny();
    expectTypeOf<HistoryItem>().not.toBeNever();
    expectTypeOf<FeedbackAnswer>().not.toBeAny();
    expectTypeOf<FeedbackAnswer>().not.toBeNever();
    expectTypeOf<Stats>().not.toBeAny();
    expectTypeOf<Stats>().not.toBeNever();
    expectTypeOf<Stats['perDigit'][number]['recall']>().toEqualTypeOf<number | null>();
  });
});
