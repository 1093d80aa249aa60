package dev.whetstone.filter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AuditLogTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  /** {@code n} removals: a tenth by the window, the rest masked in batches, as at scale. */
  private static Map<String, Long> feed(AuditLog audit, int n) {
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String rule = i % 10 == 0 ? "window" : "labeled-positive";
      audit.accept(new Removal(rule, "q" + i / 64, "what causes the query " + i / 64, "batch",
          "d" + i, i % 64, Float.NaN, "bge-small-en-v1.5", 0.5f + i % 7 / 100f, 0.61f));
      expected.merge(rule, 1L, Long::sum);
    }
    return expected;
  }

  private static List<String> gunzip(Path file) throws Exception {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      return reader.lines().toList();
    }
  }

  @Test
  public void theSampledAuditIsBoundedWhateverTheCountAndItsCountsAreExact() throws Exception {
    long[] sizes = new long[2];
    int[] removals = {20_000, 400_000};
    for (int run = 0; run < 2; run++) {
      Path file = temp.getRoot().toPath().resolve("audit-" + run + ".jsonl.gz");
      Map<String, Long> expected;
      try (AuditLog audit = AuditLog.create(file, AuditLog.Mode.SAMPLE)) {
        expected = feed(audit, removals[run]);
        assertEquals(expected, audit.counts());
      }
      sizes[run] = Files.size(file);
      List<String> lines = gunzip(file);
      JsonObject header = JsonParser.parseString(lines.get(0)).getAsJsonObject();
      assertEquals(AuditLog.SAMPLE_PER_RULE, header.get("sample_per_rule").getAsInt());
      for (Map.Entry<String, Long> rule : expected.entrySet()) {
        assertEquals(rule.getKey(), (long) rule.getValue(),
            header.getAsJsonObject("counts").get(rule.getKey()).getAsLong());
        long sampled = lines.stream().skip(1)
            .filter(l -> l.contains("\"rule\":\"" + rule.getKey() + "\"")).count();
        assertEquals(rule.getKey(), Math.min(rule.getValue(), AuditLog.SAMPLE_PER_RULE), sampled);
      }
      assertEquals(1 + 2 * AuditLog.SAMPLE_PER_RULE, lines.size());
    }
    // 20x the removals, still ~2,000 gzip lines (a full audit of 400,000 is ~90 MB)
    assertTrue(sizes[0] + " and " + sizes[1] + " bytes", sizes[0] < 40_000 && sizes[1] < 40_000);
  }

  @Test
  public void theSampleIsDrawnFromAllRemovalsNotJustTheFirst() throws Exception {
    Path file = temp.getRoot().toPath().resolve("audit.jsonl.gz");
    try (AuditLog audit = AuditLog.create(file, AuditLog.Mode.SAMPLE)) {
      feed(audit, 100_000);
    }
    long late = gunzip(file).stream().skip(1)
        .map(l -> JsonParser.parseString(l).getAsJsonObject().get("doc_id").getAsString())
        .filter(id -> Integer.parseInt(id.substring(1)) >= 50_000).count();
    // uniform: about half of the 2,000 kept removals come from the second half
    assertTrue("kept from the second half: " + late, late > 800 && late < 1200);
  }

  @Test
  public void theFullAuditWritesEveryRemoval() throws Exception {
    Path file = temp.getRoot().toPath().resolve("audit.jsonl");
    Map<String, Long> expected;
    try (AuditLog audit = AuditLog.create(file, AuditLog.Mode.FULL)) {
      expected = feed(audit, 3_000);
      assertEquals(expected, audit.counts());
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(3_000, lines.size());
    JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals("window", first.get("rule").getAsString());
    assertFalse("an unknown score is left out", first.has("source_score"));
  }
}
