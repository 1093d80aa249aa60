package dev.whetstone.codec.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the trainer's embedding cache files: magic {@code WHETVEC1}, count and dimension as
 * big-endian ints, then count × dimension floats, little-endian.
 */
public final class VecFile {
  private static final byte[] MAGIC = "WHETVEC1".getBytes(StandardCharsets.US_ASCII);

  private VecFile() {}

  public static float[][] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(in)) {
      byte[] magic = new byte[MAGIC.length];
      data.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a WHETVEC1 file (magic "
            + new String(magic, StandardCharsets.ISO_8859_1) + ")");
      }
      int count = data.readInt();
      int dimension = data.readInt();
      long expected = MAGIC.length + 8 + (long) count * dimension * Float.BYTES;
      if (count < 0 || dimension < 1 || Files.size(file) != expected) {
        throw new IOException(file + ": header says " + count + " x " + dimension + " floats ("
            + expected + " bytes) but the file has " + Files.size(file) + " bytes");
      }
      float[][] vectors = new float[count][dimension];
      byte[] row = new byte[dimension * Float.BYTES];
      for (float[] vector : vectors) {
        data.readFully(row);
        ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
      }
      return vectors;
    }
  }
}
