// "Logging off" for the benchmarks: a Store that keeps nothing, so the predict path can be measured
// without any database work. It answers like a store that wrote the row.
import type { HistoryRow, NewPrediction, PredictionRow, StatsCounts, Store } from '../functions/store/store.ts';

export class NoopStore implements Store {
  async init(): Promise<void> {}
  async ping(): Promise<void> {}
  async insertPrediction(p: NewPrediction): Promise<PredictionRow> {
    return {
      id: p.id,
      createdAt: new Date().toISOString(),
      predictedDigit: p.predictedDigit,
      confidence: p.confidence,
      probabilities: p.probabilities,
      trueLabel: null,
      labeledAt: null,
      modelVersion: p.modelVersion,
      source: p.source,
    };
  }
  async setTrueLabel(): Promise<PredictionRow | null> {
    return null;
  }
  async listPredictions(): Promise<HistoryRow[]> {
    return [];
  }
  async listLabeled() {
    return [];
  }
  async stats(): Promise<StatsCounts> {
    return { total: 0, labeled: 0, correct: 0, confusion: [], byModel: [] };
  }
  async close(): Promise<void> {}
}
