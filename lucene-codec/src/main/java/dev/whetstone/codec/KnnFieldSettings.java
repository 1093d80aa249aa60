package dev.whetstone.codec;

import dev.whetstone.codec.gpu.GpuKnnSettings;
import dev.whetstone.codec.gpu.KnnSearchMode;

import java.util.Locale;
import org.apache.lucene.index.FieldInfo;

/**
 * What one vector field asks of the GPU path, where it differs from the node's settings: its
 * search mode and the fewest vectors a segment needs to go to the GPU. Written by {@link
 * WhetstoneKnnVectorsFormat} into each segment's field info, since Lucene reads a per-field vector
 * format through its SPI name (a fresh instance): the segment is the only way from the writer's
 * settings to the reader. Like HNSW graph parameters, a change applies to segments written (or
 * merged) after it.
 *
 * @param searchMode the field's mode, or null for the node's ({@link GpuKnnSettings#searchMode()})
 * @param minVectors the field's minimum, or {@link #NODE_DEFAULT} for the node's ({@link
 *     GpuKnnSettings#minVectors()})
 */
public record KnnFieldSettings(KnnSearchMode searchMode, int minVectors) {
  public static final int NODE_DEFAULT = -1;
  /** Both settings from the node. */
  public static final KnnFieldSettings NODE_DEFAULTS = new KnnFieldSettings(null, NODE_DEFAULT);

  static final String SEARCH_MODE_ATTRIBUTE = WhetstoneKnnVectorsFormat.NAME + ".searchMode";
  static final String MIN_VECTORS_ATTRIBUTE = WhetstoneKnnVectorsFormat.NAME + ".minVectors";

  public KnnFieldSettings {
    if (minVectors < NODE_DEFAULT) {
      throw new IllegalArgumentException("minVectors=" + minVectors + " must be >= 0");
    }
  }

  /** The mode searches of this field use on a node with settings {@code node}. */
  public KnnSearchMode effectiveSearchMode(GpuKnnSettings node) {
    return searchMode != null ? searchMode : node.searchMode();
  }

  /**
   * The fewest vectors a segment of this field needs to be searched on the GPU, on a node with
   * settings {@code node}.
   */
  public int effectiveMinVectors(GpuKnnSettings node) {
    return minVectors != NODE_DEFAULT ? minVectors : node.minVectors();
  }

  /**
   * Records these settings in {@code field}'s attributes. Both are always written (empty for the
   * node's): a merge copies attributes from the merged segments, and must not keep a stale one.
   */
  void writeTo(FieldInfo field) {
    field.putAttribute(SEARCH_MODE_ATTRIBUTE,
        searchMode == null ? "" : searchMode.name().toLowerCase(Locale.ROOT));
    field.putAttribute(MIN_VECTORS_ATTRIBUTE,
        minVectors == NODE_DEFAULT ? "" : Integer.toString(minVectors));
  }

  /** The settings recorded in {@code field}; the node's for a segment written without them. */
  public static KnnFieldSettings readFrom(FieldInfo field) {
    String mode = field.getAttribute(SEARCH_MODE_ATTRIBUTE);
    String min = field.getAttribute(MIN_VECTORS_ATTRIBUTE);
    try {
      return new KnnFieldSettings(
          mode == null || mode.isEmpty() ? null : KnnSearchMode.parse(mode),
          min == null || min.isEmpty() ? NODE_DEFAULT : Integer.parseInt(min));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("field " + field.name + ": unreadable " + SEARCH_MODE_ATTRIBUTE
          + "=" + mode + " / " + MIN_VECTORS_ATTRIBUTE + "=" + min, e);
    }
  }
}
