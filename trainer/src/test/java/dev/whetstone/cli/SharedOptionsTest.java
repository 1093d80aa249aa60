package dev.whetstone.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.whetstone.data.SplitRatios;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Path;
import org.junit.Test;
import picocli.CommandLine;

/** The options several commands share through one mixin keep their names and defaults. */
public class SharedOptionsTest {
  @Test
  public void defaultsAreTheSameInEveryCommand() {
    MineCommand mine = parse(new MineCommand(), "--data", "d");
    CalibrateCommand calibrate = parse(new CalibrateCommand(), "--data", "d");
    ClicksCommand.Simulate simulate = parse(new ClicksCommand.Simulate(), "--data", "d",
        "--output", "o");
    TrainCommand train = parse(new TrainCommand(), "--data", "d", "--output", "o");
    Path work = ModelCache.defaultDir().getParent().resolve("work");
    for (WorkDirOption option : new WorkDirOption[] {mine.workDir, calibrate.workDir,
        simulate.workDir}) {
      assertEquals(work, option.dir());
    }
    for (SeedOption option : new SeedOption[] {mine.seeding, calibrate.seeding,
        simulate.seeding, train.seeding}) {
      assertEquals(42L, option.seed);
    }
    for (SplitsOption option : new SplitsOption[] {calibrate.splits, simulate.splits,
        train.splits}) {
      assertNull(option.ratios());
    }
    assertEquals(0.05f, calibrate.margin.margin(), 0f);
    assertEquals(0.05f, mine.mining.config().relativeMargin(), 0f);
    assertEquals(0.05f, train.mining.config().relativeMargin(), 0f);
  }

  @Test
  public void sharedOptionsParseUnderTheirNames() {
    CalibrateCommand calibrate = parse(new CalibrateCommand(), "--data", "d", "--seed", "7",
        "--splits", "60/20/20", "--work-dir", "w", "--relative-margin", "0.1");
    assertEquals(7L, calibrate.seeding.seed);
    assertEquals(Path.of("w"), calibrate.workDir.dir());
    assertEquals(0.1f, calibrate.margin.margin(), 0f);
    assertEquals(new SplitRatios(60, 20, 20), calibrate.splits.ratios());

    assertNull(parse(new CalibrateCommand(), "--data", "d", "--no-relative-margin").margin.margin());
    assertNull(parse(new MineCommand(), "--data", "d", "--no-relative-margin")
        .mining.config().relativeMargin());
    assertNull(parse(new MineCommand(), "--data", "d", "--teacher", "none")
        .mining.config().relativeMargin());
  }

  private static <T> T parse(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
