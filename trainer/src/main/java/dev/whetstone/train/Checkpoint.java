package dev.whetstone.train;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.optim.AdamW;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.lucene.util.IOUtils;

/**
 * A checkpoint folder: the encoder's weights, the optimizer's moments and the run's state. Written
 * to a temporary folder and moved into place, so a crash leaves the previous checkpoint intact.
 */
final class Checkpoint {
  private static final String WEIGHTS = "weights.params";
  private static final String OPTIMIZER = "optimizer.ndlist";
  private static final String STATE = "state.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .serializeSpecialFloatingPointValues().create();

  private Checkpoint() {}

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(STATE));
  }

  static void save(Path dir, SentenceEncoder encoder, AdamW optimizer, TrainingState state)
      throws IOException {
    Path temp = dir.resolveSibling(dir.getFileName() + ".tmp");
    IOUtils.rm(temp);
    Files.createDirectories(temp);
    saveWeights(encoder, temp.resolve(WEIGHTS));
    if (optimizer != null) {
      optimizer.save(temp.resolve(OPTIMIZER));
    }
    Files.writeString(temp.resolve(STATE), GSON.toJson(state), StandardCharsets.UTF_8);
    IOUtils.rm(dir);
    Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
  }

  static void saveWeights(SentenceEncoder encoder, Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(
        new BufferedOutputStream(Files.newOutputStream(file)))) {
      encoder.model().getBlock().saveParameters(out);
    }
  }

  static void loadWeights(SentenceEncoder encoder, Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(
        new BufferedInputStream(Files.newInputStream(file)))) {
      encoder.model().getBlock().loadParameters(encoder.model().getNDManager(), in);
    } catch (ai.djl.MalformedModelException e) {
      throw new IOException("checkpoint weights " + file + " do not fit the model: "
          + e.getMessage(), e);
    }
    // loaded arrays are new leaves: training them needs their gradients attached again
    for (Pair<String, Parameter> parameter : encoder.model().getBlock().getParameters()) {
      if (parameter.getValue().requiresGradient()) {
        parameter.getValue().getArray().setRequiresGradient(true);
      }
    }
  }

  /** Restores weights and optimizer moments; returns the saved state. */
  static TrainingState load(Path dir, SentenceEncoder encoder, AdamW optimizer) throws IOException {
    loadWeights(encoder, dir.resolve(WEIGHTS));
    if (optimizer != null && Files.isRegularFile(dir.resolve(OPTIMIZER))) {
      optimizer.load(dir.resolve(OPTIMIZER));
    }
    return GSON.fromJson(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8),
        TrainingState.class);
  }
}
