package dev.whetstone.rollout;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.rollout.DeploymentLog.Entry;
import dev.whetstone.rollout.DeploymentLog.Gate;
import org.junit.Test;

public class DeploymentLogTest {
  private static final String PROPERTY = DeploymentLog.property("minilm");

  private static Entry deploy(String from, String to) {
    return new Entry(DeploymentLog.QUERY_TOWER, from, to, "2025-01-01T00:00:00Z",
        new Gate(0.61, 0.62, 0.01, 0.2, 40));
  }

  private static Entry rollback(String from, String to) {
    return new Entry(DeploymentLog.ROLLBACK, from, to, "2025-01-01T00:00:01Z", null);
  }

  @Test
  public void roundTripsThroughTheProperty() {
    DeploymentLog log = DeploymentLog.parse(PROPERTY, null).append(deploy("a", "b"))
        .append(rollback("b", "a"));
    DeploymentLog read = DeploymentLog.parse(PROPERTY, log.toJson());
    assertEquals(log.entries(), read.entries());
    assertEquals(new Gate(0.61, 0.62, 0.01, 0.2, 40), read.entries().get(0).gate());
    assertNull(read.entries().get(1).gate());
  }

  @Test
  public void keepsTheNewestTwenty() {
    DeploymentLog log = DeploymentLog.parse(PROPERTY, "[]");
    for (int i = 0; i < 25; i++) {
      log = log.append(deploy("m" + i, "m" + (i + 1)));
    }
    assertEquals(DeploymentLog.KEEP, log.entries().size());
    assertEquals("m5", log.entries().get(0).from());
    assertEquals("m25", log.entries().get(19).to());
  }

  /** Each rollback undoes the newest roll-out no later rollback undid. */
  @Test
  public void findsTheNewestDeploymentInEffect() {
    DeploymentLog log = DeploymentLog.parse(PROPERTY, null);
    assertNull(log.inEffect());
    log = log.append(deploy("a", "b")).append(deploy("b", "c"));
    assertEquals("c", log.inEffect().to());
    log = log.append(rollback("c", "b"));
    assertEquals(deploy("a", "b"), log.inEffect());
    log = log.append(rollback("b", "a"));
    assertNull(log.inEffect());
    log = log.append(deploy("a", "d"));
    assertEquals("d", log.inEffect().to());
  }

  @Test
  public void keepsFieldsItDoesNotKnow() {
    String json = "[{\"kind\":\"full\",\"from\":\"c1\",\"to\":\"c2\",\"at\":\"t\",\"documents\":5183}]";
    String appended = DeploymentLog.parse(PROPERTY, json).append(deploy("a", "b")).toJson();
    assertTrue(appended, appended.contains("\"documents\":5183"));
  }

  @Test
  public void malformedLogsNameTheProperty() {
    for (String bad : new String[] {"{", "{\"kind\":\"x\"}", "[{\"kind\":\"rollback\",\"to\":\"a\"}]"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DeploymentLog.parse(PROPERTY, bad));
      assertTrue(e.getMessage(), e.getMessage().contains(PROPERTY));
    }
  }
}
