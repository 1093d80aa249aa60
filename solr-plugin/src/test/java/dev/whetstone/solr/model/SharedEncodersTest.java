package dev.whetstone.solr.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import com.github.benmanes.caffeine.cache.Cache;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.TestModels;
import java.nio.file.Path;
import org.junit.Test;

public class SharedEncodersTest {

  @Test
  public void coresShareTheEncoderButEachDeclaredCacheSizeHolds() throws Exception {
    Path dir = TestModels.quantizedMiniLm().path();
    SharedEncoders.Entry first = SharedEncoders.acquire(dir, null, Encoder.Placement.CPU, 1);
    SharedEncoders.Entry second = SharedEncoders.acquire(dir, null, Encoder.Placement.CPU, 1);
    try {
      assertSame("one encoder per node", first, second);
      Cache<String, float[]> none = first.queryCache(0);
      Cache<String, float[]> small = second.queryCache(2);
      assertNotSame(none, small);
      assertSame(small, first.queryCache(2));

      none.put("a", new float[] {1});
      assertNull("a cache of size 0 keeps nothing", none.getIfPresent("a"));
      small.put("a", new float[] {1});
      assertNotNull(small.getIfPresent("a"));
      small.put("b", new float[] {2});
      small.put("c", new float[] {3});
      small.cleanUp();
      assertEquals(2, small.estimatedSize());
    } finally {
      SharedEncoders.release(second);
      SharedEncoders.release(first);
    }
  }

  @Test
  public void aTowerSwitchedOutStaysLoadedUntilTheLastRequestUsingItEnds() throws Exception {
    Path dir = TestModels.quantizedMiniLm().path();
    int before = SharedEncoders.loaded();
    SharedEncoders.Entry entry = SharedEncoders.acquire(dir, null, Encoder.Placement.CPU, 1);
    EmbeddingModel.QueryTower tower = new EmbeddingModel.QueryTower(entry, entry.queryCache(0), null);
    assertTrue("a request starts with the serving tower", tower.enter());
    tower.release(); // switched out: the model lets go
    assertEquals("still loaded for the running request", before + 1, SharedEncoders.loaded());
    assertEquals(384, entry.encoder.encodeQuery("still embeds").length);
    tower.release(); // the request ends
    assertEquals("closed once no request uses it", before, SharedEncoders.loaded());
    assertFalse("a released tower is never entered again", tower.enter());
  }
}
