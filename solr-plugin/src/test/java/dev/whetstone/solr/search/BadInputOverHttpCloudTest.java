package dev.whetstone.solr.search;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.whetstone.model.DocumentText;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.SolrTestCaseJ4;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Bad input sent over HTTP to a SolrCloud node running the conf-examples configset, as a client
 * would send it: each gets a 4xx whose message names the input, the request after it works, and a
 * refused update indexes none of its documents. Prints a table of what was sent and what came
 * back (docs/errors.md).
 */
@SolrTestCaseJ4.SuppressSSL(bugUrl = "the raw java.net.http client (it sends bytes SolrJ would "
    + "not) has no trust store for the test framework's random certificates")
public class BadInputOverHttpCloudTest extends BeirCloudTestCase {
  private static final String COLLECTION = "inputs";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String EMBED = "{!embed f=vector model=minilm topK=5}";
  private static final String HYBRID = "{!hybrid f=vector model=minilm lexicalQf='title text'";
  private static String base;
  private static final List<String> table = new ArrayList<>();

  @BeforeClass
  public static void startCluster() throws Exception {
    TestModels.get("all-minilm-l6-v2");
    startBeirCluster(1, TestModels.root(), Map.of());
    createCollection(COLLECTION, 1, 1);
    base = cluster.getJettySolrRunner(0).getBaseUrl() + "/" + COLLECTION;
    assertEquals(200, update("[{\"id\":\"ok\",\"title\":\"Aspirin\",\"text\":\"Aspirin lowers fever.\"}]").status);
  }

  @AfterClass
  public static void printTable() {
    System.out.println("| input | HTTP status | message |\n|---|---|---|");
    table.forEach(System.out::println);
  }

  @Test
  public void badDocumentsAreRefusedAndIndexNothing() throws Exception {
    String big = "a".repeat(10 * 1024 * 1024);
    assertRefused("10 MB text field", 400, update(doc("big", "Big", big)), "'big'", "maxTextChars");
    assertRefused("empty text", 400, update(doc("empty", "", "")), "'empty' has no text to embed");
    assertRefused("whitespace-only text", 400, update(doc("blank", "  ", "\t\n ")),
        "'blank' has no text to embed");
    assertRefused("vector with NaN", 400, update(withVector("nan", "\"NaN\"", 383)),
        "'nan' supplies an invalid vector", "NaN");
    assertRefused("vector with Infinity", 400, update(withVector("inf", "\"Infinity\"", 383)),
        "'inf' supplies an invalid vector", "Infinity");
    assertRefused("vector of 2 values", 400, update(withVector("short", "0.5", 1)),
        "'short' supplies an invalid vector");
    // a batch with one bad document indexes none of them
    String batch = "[" + doc("b1", "One", "First text.").replace("[", "").replace("]", "") + ","
        + doc("b2", "Two", "Second text.").replace("[", "").replace("]", "") + ","
        + doc("b3", "", " ").replace("[", "").replace("]", "") + "]";
    assertRefused("batch of 3, the last without text", 400, update(batch), "'b3' has no text");
    assertEquals(0, numFound("id:(b1 OR b2 OR b3 OR big OR empty OR blank OR nan OR inf OR short)"));
    assertEquals(200, update(doc("after", "After", "A valid document after the refused ones.")).status);
    assertEquals(1, numFound("id:after"));
  }

  @Test
  public void badUtf8IsIndexedWithReplacementCharactersLikeSolrDoes() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("[{\"id\":\"latin1\",\"title\":\"Caf".getBytes(StandardCharsets.US_ASCII));
    body.write(0xE9); // é in ISO-8859-1: not valid UTF-8
    body.writeBytes(" au lait\",\"text\":\"Coffee with milk.\"}]".getBytes(StandardCharsets.US_ASCII));
    Response response = send(HttpRequest.newBuilder(URI.create(base + "/update?commit=true"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    table.add(row("JSON body with a byte that is not UTF-8", response));
    assertEquals(200, response.status);
    JsonObject doc = select("id:latin1", "id,title,text,vector").getAsJsonObject("response")
        .getAsJsonArray("docs").get(0).getAsJsonObject();
    String title = doc.get("title").getAsString();
    assertTrue(title, title.contains("\uFFFD"));
    // the vector is the embedding of the text as stored: what is searched is what was embedded
    float[] expected;
    try (Encoder encoder = Encoder.load(TestModels.get("all-minilm-l6-v2"))) {
      expected = encoder.encodeDocuments(List.of(DocumentText.join(
          List.of(title, doc.get("text").getAsString()))))[0];
    }
    List<JsonElement> stored = doc.getAsJsonArray("vector").asList();
    assertEquals(expected.length, stored.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], stored.get(i).getAsFloat(), 1e-6);
    }
  }

  @Test
  public void badQueriesAreRefusedAndTheNextOneWorks() throws Exception {
    assertRefused("unknown model", 400, query("{!embed f=vector model=bert}fever"), "unknown model 'bert'");
    assertRefused("topK=-1", 400, query("{!embed f=vector model=minilm topK=-1}fever"),
        "topK must be an integer > 0, got '-1'");
    assertRefused("empty query text", 400, query(EMBED), "{!embed} needs query text");
    assertRefused("whitespace-only query text", 400, query(EMBED + "   "), "{!embed} needs query text");
    assertRefused("fusion=foo", 400, query(HYBRID + " fusion=foo}fever"), "fusion must be one of");
    assertRefused("lexicalWeight=heavy", 400, query(HYBRID + " lexicalWeight=heavy}fever"),
        "lexicalWeight must be a finite number >= 0, got 'heavy'");
    assertRefused("denseWeight=NaN", 400, query(HYBRID + " denseWeight=NaN}fever"),
        "denseWeight must be a finite number >= 0, got 'NaN'");
    assertRefused("unclosed local params", 400, query("{!embed f=vector model=minilm fever"), "Expected");
    assertEquals(200, query(EMBED + "fever").status);
  }

  private static void assertRefused(String input, int status, Response response,
      String... messageParts) {
    table.add(row(input, response));
    assertEquals(input + ": " + response.message, status, response.status);
    for (String part : messageParts) {
      assertTrue(input + ": " + response.message, response.message.contains(part));
    }
  }

  private static String row(String input, Response response) {
    String message = response.message.length() > 240
        ? response.message.substring(0, 240) + "…" : response.message;
    return String.format(Locale.ROOT, "| %s | %d | %s |", input, response.status,
        message.replace("|", "\\|").replace("\n", " "));
  }

  private static String doc(String id, String title, String text) {
    JsonObject doc = new JsonObject();
    doc.addProperty("id", id);
    doc.addProperty("title", title);
    doc.addProperty("text", text);
    return "[" + doc + "]";
  }

  private static String withVector(String id, String first, int zeros) {
    return "[{\"id\":\"" + id + "\",\"title\":\"T\",\"text\":\"Some text.\",\"vector\":[" + first
        + ",0.1".repeat(zeros) + "]}]";
  }

  private record Response(int status, String message) {}

  private static Response update(String json) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/update?commit=true"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
  }

  private static Response query(String q) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + "/select?q="
        + URLEncoder.encode(q, StandardCharsets.UTF_8))).GET().build());
  }

  private static Response send(HttpRequest request) throws Exception {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    String message = "";
    try {
      JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
      if (body.has("error")) {
        message = body.getAsJsonObject("error").get("msg").getAsString();
      }
    } catch (RuntimeException e) {
      message = response.body();
    }
    return new Response(response.statusCode(), message);
  }

  private static JsonObject select(String q, String fl) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base
        + "/select?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&fl=" + fl)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(response.body(), 200, response.statusCode());
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static long numFound(String q) throws Exception {
    return select(q, "id").getAsJsonObject("response").get("numFound").getAsLong();
  }
}
