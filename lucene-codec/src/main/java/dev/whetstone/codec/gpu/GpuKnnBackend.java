package dev.whetstone.codec.gpu;

import java.io.IOException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * A GPU that holds segments' vectors and searches them exactly. The implementation ({@code
 * dev.whetstone.codec.gpu.CudaKnnBackend}, JDK 22+) is loaded reflectively by {@link GpuKnn}.
 */
public interface GpuKnnBackend {
  /** The device, for logs: name, memory, compute capability. */
  String device();

  /**
   * Copies all of {@code values} (a fresh iterator) to the device.
   *
   * @throws StaysOnCpuException when they do not fit in the remaining memory budget, or a
   *     component is beyond fp16's range (the vectors are stored as fp16): the field stays on the
   *     CPU
   * @throws IOException on a CUDA error or a failure reading the vectors
   */
  GpuVectorIndex upload(FloatVectorValues values, VectorSimilarityFunction similarity)
      throws IOException, StaysOnCpuException;
}
