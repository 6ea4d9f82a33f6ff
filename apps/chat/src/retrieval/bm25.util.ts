// BM25F: BM25 over several weighted fields (Robertson & Zaragoza, "The Probabilistic Relevance
// Framework"), plus a confidence in [0, 1]: the score relative to the best score the same query could
// reach (every query term once in the top-weighted field of an average-length document).

export interface FieldSpec {
  weight: number;
  /** Length normalisation of this field (0 = none, 1 = full). */
  b: number;
}

export interface IndexedDoc<F extends string> {
  id: string;
  fields: Record<F, readonly string[]>;
}

export interface QueryTerm {
  term: string;
  weight: number;
}

export interface ScoredDoc {
  id: string;
  score: number;
  /** score / best reachable score for the query, capped at 1. */
  confidence: number;
  /** Query terms this document contains. */
  matched: string[];
}

const K1 = 1.2;

interface DocStats {
  id: string;
  /** term → field → count */
  tf: Map<string, Map<string, number>>;
  length: Record<string, number>;
}

export class Bm25Index<F extends string> {
  private readonly docs: DocStats[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: Record<string, number> = {};
  private readonly bestField: FieldSpec;

  constructor(
    docs: readonly IndexedDoc<F>[],
    private readonly fields: Record<F, FieldSpec>,
  ) {
    const names = Object.keys(fields) as F[];
    this.docs = docs.map((doc) => {
      const tf = new Map<string, Map<string, number>>();
      const length: Record<string, number> = {};
      for (const field of names) {
        const tokens = doc.fields[field];
        length[field] = tokens.length;
        for (const token of tokens) {
          const perField = tf.get(token) ?? new Map<string, number>();
          perField.set(field, (perField.get(field) ?? 0) + 1);
          tf.set(token, perField);
        }
      }
      for (const token of tf.keys()) this.df.set(token, (this.df.get(token) ?? 0) + 1);
      return { id: doc.id, tf, length };
    });
    for (const field of names) {
      const total = this.docs.reduce((sum, d) => sum + d.length[field], 0);
      this.avgLength[field] = this.docs.length ? Math.max(1, total / this.docs.length) : 1;
    }
    this.bestField = names.map((n) => fields[n]).reduce((a, b) => (b.weight > a.weight ? b : a), { weight: 1, b: 0 });
  }

  get size(): number {
    return this.docs.length;
  }

  /** Inverse document frequency; a term no document has gets the highest value (it is informative). */
  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    const N = this.docs.length;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** Every document that shares a term with the query, best first. */
  search(query: readonly QueryTerm[]): ScoredDoc[] {
    const merged = mergeTerms(query);
    const best = merged.reduce((sum, q) => sum + q.weight * this.idf(q.term) * saturate(this.bestField.weight), 0);
    if (best <= 0) return [];
    const out: ScoredDoc[] = [];
    for (const doc of this.docs) {
      let score = 0;
      const matched: string[] = [];
      for (const q of merged) {
        const pseudoTf = this.pseudoTf(doc, q.term);
        if (pseudoTf === 0) continue;
        matched.push(q.term);
        score += q.weight * this.idf(q.term) * saturate(pseudoTf);
      }
      if (score > 0) out.push({ id: doc.id, score, confidence: Math.min(1, score / best), matched });
    }
    return out.sort((a, b) => b.score - a.score);
  }

  private pseudoTf(doc: DocStats, term: string): number {
    const perField = doc.tf.get(term);
    if (!perField) return 0;
    let sum = 0;
    for (const [field, count] of perField) {
      const spec = this.fields[field as F];
      const norm = 1 - spec.b + (spec.b * doc.length[field]) / this.avgLength[field];
      sum += (spec.weight * count) / norm;
    }
    return sum;
  }
}

function saturate(tf: number): number {
  return tf / (K1 + tf);
}

/** A term repeated in the query counts once, with its highest weight. */
function mergeTerms(query: readonly QueryTerm[]): QueryTerm[] {
  const byTerm = new Map<string, number>();
  for (const q of query) byTerm.set(q.term, Math.max(byTerm.get(q.term) ?? 0, q.weight));
  return [...byTerm].map(([term, weight]) => ({ term, weight }));
}
