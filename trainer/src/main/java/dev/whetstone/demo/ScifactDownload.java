package dev.whetstone.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Fetches BEIR's public SciFact zip into a cache folder, once. */
public final class ScifactDownload {
  public static final URI URL =
      URI.create("https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/scifact.zip");

  private ScifactDownload() {}

  /** {@code cacheDir/scifact}, downloaded and unzipped unless it is there already. */
  public static Path fetch(Path cacheDir) throws IOException, InterruptedException {
    Path target = cacheDir.resolve("scifact");
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(cacheDir);
    Path zip = cacheDir.resolve("scifact.zip.part");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    try {
      HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URL).build(),
          HttpResponse.BodyHandlers.ofFile(zip));
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from " + URL);
      }
    } catch (IOException e) {
      Files.deleteIfExists(zip);
      throw new IOException("cannot download SciFact from " + URL + " (" + e.getMessage()
          + "); download and unzip it yourself and pass --data <folder>", e);
    }
    Path staging = Files.createTempDirectory(cacheDir, ".scifact-");
    unzip(zip, staging);
    Files.move(staging.resolve("scifact"), target, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(zip);
    return target;
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path out = into.resolve(entry.getName()).normalize();
        if (!out.startsWith(into)) {
          throw new IOException(zip + ": entry " + entry.getName() + " points outside the folder");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
