package dev.whetstone.retrieval;

/**
 * A vector with a NaN or infinite component, named by what it embeds. Thrown before such a vector
 * reaches a search: a wrecked model must fail loudly, not rank by NaN.
 */
public final class NonFiniteVectorException extends IllegalArgumentException {
  public NonFiniteVectorException(String what) {
    super(what + " has a non-finite (NaN or infinite) component");
  }

  /** Fails naming {@code what} when the vector has a NaN or infinite component. */
  public static float[] check(float[] vector, String what) {
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        throw new NonFiniteVectorException(what);
      }
    }
    return vector;
  }
}
