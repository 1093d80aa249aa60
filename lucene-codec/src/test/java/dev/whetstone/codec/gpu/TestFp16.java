package dev.whetstone.codec.gpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Random;
import org.apache.lucene.tests.util.LuceneTestCase;

/** {@link Fp16} rounds as IEEE 754 says, and as the JDK's own conversion does (JDK 20+). */
public class TestFp16 extends LuceneTestCase {
  public void testKnownValues() {
    assertEquals(0x3c00, Fp16.fromFloat(1f));
    assertEquals((short) 0xc000, Fp16.fromFloat(-2f));
    assertEquals(0x7bff, Fp16.fromFloat(65504f));
    assertEquals(0x7bff, Fp16.fromFloat(65519.996f)); // below the tie: down to the largest
    assertEquals(0x7c00, Fp16.fromFloat(65520f)); // the tie goes to the even, infinity
    assertEquals(0x0001, Fp16.fromFloat(0x1p-24f)); // smallest subnormal
    assertEquals(0x0000, Fp16.fromFloat(0x1p-25f)); // tie between 0 and it: even, 0
    assertEquals(0x0001, Fp16.fromFloat(0x1.000002p-25f)); // just above the tie
    assertEquals(0x0400, Fp16.fromFloat(0x1p-14f)); // smallest normal
    assertEquals((short) 0x8000, Fp16.fromFloat(-0f));
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: to the even, 1; 1 + 3 * 2^-11 up to 1 + 2^-9
    assertEquals(0x3c00, Fp16.fromFloat(1 + 0x1p-11f));
    assertEquals(0x3c02, Fp16.fromFloat(1 + 3 * 0x1p-11f));
    assertTrue(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(Float.NaN))));
    assertEquals(Float.NEGATIVE_INFINITY, Fp16.round(Float.NEGATIVE_INFINITY), 0);
    assertEquals(0x1p-24f, Fp16.toFloat((short) 1), 0);
  }

  public void testEveryHalfRoundTrips() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short half = (short) bits;
      float value = Fp16.toFloat(half);
      if (!Float.isNaN(value)) {
        assertEquals(Integer.toHexString(bits), half, Fp16.fromFloat(value));
      }
    }
  }

  public void testInRange() {
    assertTrue(Fp16.inRange(new float[] {0, -65504f, 65519f, 1e-30f}));
    assertFalse(Fp16.inRange(new float[] {1, 65520f}));
    assertFalse(Fp16.inRange(new float[] {Float.NaN}));
  }

  /** The JDK's {@code Float.floatToFloat16} (20+): what the GPU backend uploads with. */
  public void testSameAsTheJdk() throws Throwable {
    assumeTrue("Float.floatToFloat16 needs JDK 20+", Runtime.version().feature() >= 20);
    MethodHandle jdk = MethodHandles.publicLookup().findStatic(Float.class, "floatToFloat16",
        MethodType.methodType(short.class, float.class));
    // every float next to an fp16 value or to the midpoint between two of them, then random ones
    for (int bits = 0; bits < 0x7c00; bits++) {
      float low = Fp16.toFloat((short) bits);
      float high = Fp16.toFloat((short) (bits + 1));
      float mid = (float) (((double) low + high) / 2);
      for (float f : new float[] {low, mid, high}) {
        for (float g : new float[] {Math.nextDown(f), f, Math.nextUp(f)}) {
          assertEquals(Float.toString(g), (short) jdk.invokeExact(g), Fp16.fromFloat(g));
          assertEquals(Float.toString(-g), (short) jdk.invokeExact(-g), Fp16.fromFloat(-g));
        }
      }
    }
    Random random = random();
    for (int i = 0; i < 1_000_000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (!Float.isNaN(f)) {
        assertEquals(Float.toString(f), (short) jdk.invokeExact(f), Fp16.fromFloat(f));
      }
    }
  }
}
