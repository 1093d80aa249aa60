package dev.whetstone.codec.gpu;

import dev.whetstone.codec.RandomVectorIndex;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Reused filters (live docs) keep their device buffer by identity: searchers before and after an
 * NRT reopen, alternating, convert each live docs once. The slot logic is the one {@code
 * DeviceVectorIndex} uses; that its copies land on the device before the kernel reads them is
 * unverified without a device.
 */
public class TestReusedFilters extends LuceneTestCase {

  public void testAlternatingNrtSearchersConvertEachLiveDocsOnce() throws Exception {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    IndexWriterConfig config = RandomVectorIndex.onNode(newIndexWriterConfig()
        .setRAMBufferSizeMB(64)
        .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
        .setMergePolicy(NoMergePolicy.INSTANCE),
        GpuKnn.withBackend(GpuKnnSettings.DEFAULTS, backend));
    try (Directory dir = newDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
      for (int i = 0; i < 300; i++) {
        Document doc = new Document();
        doc.add(new StringField("id", Integer.toString(i), Field.Store.NO));
        doc.add(new KnnFloatVectorField("v", randomVector(), VectorSimilarityFunction.EUCLIDEAN));
        writer.addDocument(doc);
      }
      writer.commit(); // one segment
      writer.deleteDocuments(new Term("id", "1"));
      try (DirectoryReader before = DirectoryReader.open(writer)) {
        writer.deleteDocuments(new Term("id", "2"));
        try (DirectoryReader after = DirectoryReader.openIfChanged(before, writer)) {
          assertNotNull(after);
          assertEquals(1, before.leaves().size());
          assertNotSame(before.leaves().get(0).reader().getLiveDocs(),
              after.leaves().get(0).reader().getLiveDocs());
          IndexSearcher[] searchers = {new IndexSearcher(before), new IndexSearcher(after)};
          for (int round = 0; round < 6; round++) {
            for (IndexSearcher searcher : searchers) {
              assertEquals(5, searcher.search(new KnnFloatVectorQuery("v", randomVector(), 5), 5)
                  .scoreDocs.length);
            }
          }
          assertEquals("one segment's vectors on the GPU, shared by both readers", 1,
              backend.indexes.size());
          assertEquals("each live docs converted once", 2, backend.reusedFilterConversions.get());
        }
      }
    }
  }

  public void testAHitKeepsItsSlotAndTheLeastRecentlyUsedIsReplaced() {
    ReusedFilterSlots slots = new ReusedFilterSlots(2);
    Bits a = new FixedBitSet(10).asReadOnlyBits();
    Bits b = new FixedBitSet(10).asReadOnlyBits();
    Bits c = new FixedBitSet(10).asReadOnlyBits();
    ReusedFilterSlots.Slot slotA = alone(slots, a);
    assertTrue(slotA.fill());
    ReusedFilterSlots.Slot slotB = alone(slots, b);
    assertTrue(slotB.fill());
    assertNotEquals(slotA.index(), slotB.index());
    assertEquals(new ReusedFilterSlots.Slot(slotA.index(), false), alone(slots, a));
    assertEquals("b was used least recently", new ReusedFilterSlots.Slot(slotB.index(), true),
        alone(slots, c));
    assertEquals(new ReusedFilterSlots.Slot(slotA.index(), false), alone(slots, a));
  }

  public void testAFilterOfTheSameBatchIsNeverOverwritten() {
    ReusedFilterSlots slots = new ReusedFilterSlots(2);
    List<Bits> filters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      filters.add(new FixedBitSet(10).asReadOnlyBits());
    }
    ReusedFilterSlots.Batch batch = slots.startBatch();
    assertTrue(slots.slotFor(batch, filters.get(0)).fill());
    assertTrue(slots.slotFor(batch, filters.get(1)).fill());
    assertNull("every slot serves this batch: copy per query", slots.slotFor(batch, filters.get(2)));
    assertFalse("its own fill is visible to the batch itself (same stream)",
        slots.slotFor(batch, filters.get(0)).fill());
    slots.endBatch(batch, true);
    assertNotNull("a new batch may replace one", alone(slots, filters.get(2)));
  }

  public void testAFailedBatchGivesUpTheSlotsItFilled() {
    ReusedFilterSlots slots = new ReusedFilterSlots(2);
    Bits kept = new FixedBitSet(10).asReadOnlyBits();
    Bits failed = new FixedBitSet(10).asReadOnlyBits();
    alone(slots, kept);
    ReusedFilterSlots.Batch batch = slots.startBatch();
    assertFalse(slots.slotFor(batch, kept).fill());
    assertTrue(slots.slotFor(batch, failed).fill());
    slots.endBatch(batch, false);
    assertFalse("filled by an earlier batch: still valid", alone(slots, kept).fill());
    assertTrue("its copy may never have run: filled again", alone(slots, failed).fill());
  }

  public void testConcurrentBatchesNeitherReadAnUnfinishedFillNorRefillAPinnedSlot() {
    ReusedFilterSlots slots = new ReusedFilterSlots(2);
    Bits a = new FixedBitSet(10).asReadOnlyBits();
    Bits b = new FixedBitSet(10).asReadOnlyBits();
    Bits c = new FixedBitSet(10).asReadOnlyBits();
    ReusedFilterSlots.Batch first = slots.startBatch();
    ReusedFilterSlots.Batch second = slots.startBatch();
    ReusedFilterSlots.Slot filling = slots.slotFor(first, a);
    assertTrue(filling.fill());
    assertNull("a's copy runs on the first batch's stream, unfinished: copy per query",
        slots.slotFor(second, a));
    ReusedFilterSlots.Slot other = slots.slotFor(second, b);
    assertTrue(other.fill());
    assertNotEquals("the slot the first batch fills is not given away", filling.index(),
        other.index());
    assertNull("both slots are pinned by running batches", slots.slotFor(second, c));
    slots.endBatch(first, true);
    ReusedFilterSlots.Batch third = slots.startBatch();
    assertEquals("a's fill is done: trusted", new ReusedFilterSlots.Slot(filling.index(), false),
        slots.slotFor(third, a));
    slots.endBatch(third, true);
    assertEquals("b is still pinned by the second batch: c replaces a",
        new ReusedFilterSlots.Slot(filling.index(), true), alone(slots, c));
    slots.endBatch(second, true);
  }

  /** The slot for {@code filter} in a batch of its own, which ends well. */
  private static ReusedFilterSlots.Slot alone(ReusedFilterSlots slots, Bits filter) {
    ReusedFilterSlots.Batch batch = slots.startBatch();
    ReusedFilterSlots.Slot slot = slots.slotFor(batch, filter);
    slots.endBatch(batch, true);
    return slot;
  }

  private float[] randomVector() {
    float[] v = new float[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = random().nextFloat();
    }
    return v;
  }
}
