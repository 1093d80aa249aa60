package dev.whetstone.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Independent random streams from one run seed. {@code new Random(seed + i)} is not: for nearby
 * seeds, java.util.Random's first draws are nearly equal (epoch 1 would repeat epoch 0's first
 * picks), so the stream's seed is scrambled first.
 */
public final class Seeds {
  private Seeds() {}

  /** The random stream {@code stream} of run seed {@code seed}. */
  public static Random random(long seed, long stream) {
    return new Random(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + stream).nextLong());
  }
}
