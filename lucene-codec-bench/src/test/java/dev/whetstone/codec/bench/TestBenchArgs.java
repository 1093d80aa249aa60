package dev.whetstone.codec.bench;

import java.nio.file.Path;
import org.apache.lucene.tests.util.LuceneTestCase;

public class TestBenchArgs extends LuceneTestCase {
  public void testValuesAndDefaults() {
    BenchArgs args = BenchArgs.parse(
        new String[] {"--sizes", "100, 2000", "--seconds", "0.5", "--dir", "/tmp/x"},
        "sizes", "seconds", "dir", "k");
    assertArrayEquals(new int[] {100, 2000}, args.intList("sizes", new int[0]));
    assertEquals(0.5, args.doubleValue("seconds", 1), 0);
    assertEquals(Path.of("/tmp/x"), args.path("dir", null));
    assertFalse(args.has("k"));
    assertEquals(10, args.intValue("k", 10));
  }

  public void testErrorsNameTheArgument() {
    IllegalArgumentException unknown = expectThrows(IllegalArgumentException.class,
        () -> BenchArgs.parse(new String[] {"--size", "5"}, "sizes", "k"));
    assertEquals("unknown argument --size (expected --sizes, --k)", unknown.getMessage());
    IllegalArgumentException missing = expectThrows(IllegalArgumentException.class,
        () -> BenchArgs.parse(new String[] {"--k"}, "k"));
    assertEquals("--k needs a value", missing.getMessage());
    IllegalArgumentException notANumber = expectThrows(IllegalArgumentException.class,
        () -> BenchArgs.parse(new String[] {"--k", "ten"}, "k").intValue("k", 10));
    assertEquals("--k ten: not a number", notANumber.getMessage());
  }
}
