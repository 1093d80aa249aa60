package dev.whetstone.codec.gpu;

/**
 * IEEE 754 binary16 ("half", fp16) conversion with round to nearest, ties to even: what {@code
 * Float.floatToFloat16} does on JDK 20+, written out because this code compiles for release 17.
 * The GPU backend stores vectors and queries as fp16; this class lets release-17 code (the fp16
 * margin measurement, range checks) see exactly the values the device sees.
 */
public final class Fp16 {
  /** The largest finite fp16 value. */
  public static final float MAX_VALUE = 65504f;
  /** Magnitudes from here on round to infinity (MAX_VALUE plus half an ulp, a tie to even). */
  private static final float OVERFLOW = 65520f;

  private Fp16() {}

  /** {@code value} rounded to fp16, as its bits. NaN becomes a quiet NaN of the same sign. */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & 0x7fff_ffff;
    if (magnitude > 0x7f80_0000) {
      return (short) (sign | 0x7e00);
    }
    if (magnitude >= 0x477f_f000) { // 65520 and above, infinity included
      return (short) (sign | 0x7c00);
    }
    if (magnitude >= 0x3880_0000) { // 2^-14 and above: a normal half
      // exponent rebiased from 127 to 15, 13 significand bits dropped; a carry out of the
      // significand correctly bumps the exponent
      int half = (magnitude - 0x3800_0000) >>> 13;
      return (short) (sign | roundHalfEven(half, magnitude & 0x1fff, 13));
    }
    if (magnitude <= 0x3300_0000) { // 2^-25 and below: a tie or less, to (signed) zero
      return (short) sign;
    }
    // a subnormal half: the significand, hidden bit included, in units of 2^-24
    int exponent = magnitude >>> 23;
    int significand = (magnitude & 0x7f_ffff) | 0x80_0000;
    int shift = 126 - exponent; // 14 to 24
    int half = significand >>> shift;
    return (short) (sign | roundHalfEven(half, significand & ((1 << shift) - 1), shift));
  }

  /** The float {@code half} stands for (exact: every fp16 value is a float). */
  public static float toFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int significand = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f80_0000 | significand << 13);
    }
    if (exponent == 0) {
      float subnormal = significand * 0x1p-24f;
      return sign == 0 ? subnormal : -subnormal;
    }
    return Float.intBitsToFloat(sign | (exponent + 112) << 23 | significand << 13);
  }

  /** {@code value} as the device holds it once stored as fp16. */
  public static float round(float value) {
    return toFloat(fromFloat(value));
  }

  /** Whether every component of {@code vector} stays finite in fp16 (magnitude below 65520). */
  public static boolean inRange(float[] vector) {
    for (float component : vector) {
      if (!(Math.abs(component) < OVERFLOW)) {
        return false;
      }
    }
    return true;
  }

  private static int roundHalfEven(int truncated, int dropped, int droppedBits) {
    int halfway = 1 << (droppedBits - 1);
    if (dropped > halfway || (dropped == halfway && (truncated & 1) != 0)) {
      return truncated + 1;
    }
    return truncated;
  }
}
