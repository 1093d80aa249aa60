package dev.whetstone.train;

import dev.whetstone.data.Qrels;
import dev.whetstone.eval.Baselines;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.Runs;
import dev.whetstone.eval.SplitEvaluations;
import dev.whetstone.model.Encoder;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.DenseIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The baselines on dev and test: BM25, the current model, and their RRF hybrid.
 *
 * @param baseDevRun the current model's dev run, which the promotion gate compares query by query
 * @param devLexical the BM25 dev run, which the trained model's hybrid fuses with
 * @param testLexical the BM25 test run; null without a test split
 */
record BaselineRuns(Baselines baselines, Map<String, List<String>> baseDevRun,
    Map<String, List<Candidate>> devLexical, Map<String, List<Candidate>> testLexical) {

  static BaselineRuns measure(Encoder base, CandidateSource bm25, DenseIndex baseIndex,
      TrainingData data, PrintStream out) throws IOException {
    Evaluation[][] table = new Evaluation[3][2];
    Map<String, List<String>> baseDevRun = null;
    List<Map<String, List<Candidate>>> lexicalRuns = new java.util.ArrayList<>();
    Qrels[] splits = {data.splits().dev(), data.splits().test()};
    for (int s = 0; s < splits.length && splits[s] != null; s++) {
      Map<String, String> queries = data.queryTexts(splits[s]);
      Map<String, List<Candidate>> lexical = Runs.lexical(bm25, queries);
      lexicalRuns.add(lexical);
      Map<String, List<Candidate>> dense = Runs.dense(baseIndex,
          ModelSnapshots.encode(queries, base::encodeQueries));
      table[0][s] = Evaluation.of(splits[s], Runs.ids(lexical));
      Map<String, List<String>> denseIds = Runs.ids(dense);
      baseDevRun = s == 0 ? denseIds : baseDevRun;
      table[1][s] = Evaluation.of(splits[s], denseIds);
      table[2][s] = Evaluation.of(splits[s], Runs.fuse(lexical, dense));
    }
    Baselines baselines = new Baselines(new SplitEvaluations(table[0][0], table[0][1]),
        new SplitEvaluations(table[1][0], table[1][1]),
        new SplitEvaluations(table[2][0], table[2][1]));
    print(out, "bm25", baselines.bm25());
    print(out, "base", baselines.base());
    print(out, "hybrid", baselines.hybrid());
    return new BaselineRuns(baselines, baseDevRun, lexicalRuns.get(0),
        lexicalRuns.size() > 1 ? lexicalRuns.get(1) : null);
  }

  private static void print(PrintStream out, String name, SplitEvaluations evaluations) {
    print(out, name, "dev", evaluations.dev());
    if (evaluations.test() != null) {
      print(out, name, "test", evaluations.test());
    }
  }

  static void print(PrintStream out, String name, String split, Evaluation e) {
    out.printf(Locale.ROOT, "  %-14s %-4s nDCG@10 %.4f  MRR@10 %.4f  R@100 %.4f%n", name, split,
        e.ndcg10(), e.mrr10(), e.recall100());
  }
}
