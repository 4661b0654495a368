package dev.olympus.client.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this client has delivered: a cursor per stream, the stream each endpoint served last, and
 * the last delivered version and content of the most recent records (bounded, oldest forgotten
 * first).
 *
 * <p>A change is not delivered again when its version was, nor when it carries exactly the content
 * last delivered for its record. The second case is one write seen through two tiers: a write in
 * flight when the edge died may have been committed there, and shown, and then been retried to the
 * cloud, which applied it once more under a version of its own. To the application nothing changed,
 * so nothing is delivered.
 *
 * <p>Kept in a snapshot plus a journal with one line per delivered change. Journal lines are
 * written (not forced) before the next change is delivered, so a crash of the process loses
 * nothing; a crash of the machine may replay the last changes, which are then delivered again. Only
 * the delivery thread calls it.
 */
public final class DeliveryLedger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);
  private static final int COMPACT_AFTER_LINES = 20_000;
  private static final TypeReference<List<Object>> LINE = new TypeReference<>() {};

  private final Path snapshot;
  private final Path journal;
  private final int capacity;
  private final Map<String, Long> cursors = new HashMap<>();
  private final Map<String, String> endpointStreams = new HashMap<>();
  private final LinkedHashMap<String, Delivered> versions;
  private OutputStream out;
  private int journalLines;

  private DeliveryLedger(Path dir, int capacity) {
    this.snapshot = dir.resolve("delivery-state.json");
    this.journal = dir.resolve("delivery-journal.jsonl");
    this.capacity = capacity;
    this.versions =
        new LinkedHashMap<>(256, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Delivered> eldest) {
            return size() > DeliveryLedger.this.capacity;
          }
        };
  }

  /**
   * Opens the ledger kept in {@code dir}, remembering up to {@code capacity} record versions.
   *
   * @throws IOException if the directory cannot be read or written
   */
  public static DeliveryLedger open(Path dir, int capacity) throws IOException {
    Files.createDirectories(dir);
    DeliveryLedger l = new DeliveryLedger(dir, capacity);
    l.load();
    return l;
  }

  /** The last delivered seq of {@code stream}, 0 if none. */
  public long cursor(String stream) {
    return cursors.getOrDefault(stream, 0L);
  }

  /** A copy of all cursors. */
  public Map<String, Long> cursors() {
    return Map.copyOf(cursors);
  }

  /** The stream {@code endpoint} served when last connected. */
  public Optional<String> streamOf(String endpoint) {
    return Optional.ofNullable(endpointStreams.get(endpoint));
  }

  /** Notes that {@code endpoint} serves {@code stream}. */
  public void rememberStream(String endpoint, String stream) {
    if (!stream.equals(endpointStreams.put(endpoint, stream))) {
      journal(List.of("e", endpoint, stream));
    }
  }

  /** The last delivered version of a record and a digest of its content (0: unknown). */
  private record Delivered(long version, long content) {}

  /**
   * Whether this version of the record, or a later one, was delivered already, or the record's last
   * delivered content is this one ({@code content} from {@link #contentDigest}).
   */
  public boolean alreadyDelivered(String collection, String id, long version, long content) {
    Delivered d = versions.get(key(collection, id));
    return d != null && (d.version() >= version || (content != 0 && d.content() == content));
  }

  /**
   * Notes a change as delivered (or skipped as a duplicate): moves the cursor, and the version and
   * content unless a later version was delivered already.
   */
  public void recordDelivered(
      String stream, long seq, String collection, String id, long version, long content) {
    apply(stream, seq, collection, id, version, content);
    journal(List.of("d", stream, seq, collection, id, version, content));
  }

  /**
   * Moves {@code stream}'s cursor up to {@code seq} (never back): every change of it through {@code
   * seq} reached this client another way (through an edge that had pulled them).
   */
  public void advanceCursor(String stream, long seq) {
    if (seq > cursor(stream)) {
      cursors.put(stream, seq);
      journal(List.of("c", stream, seq));
    }
  }

  private void apply(
      String stream, long seq, String collection, String id, long version, long content) {
    cursors.merge(stream, seq, Math::max);
    String k = key(collection, id);
    Delivered old = versions.remove(k);
    versions.put(
        k, old == null || version >= old.version() ? new Delivered(version, content) : old);
  }

  /**
   * A 64-bit digest of a record's content, the same for equal data whatever the order of its fields
   * (SHA-256 of the JSON with sorted keys); never 0, which means unknown.
   */
  public static long contentDigest(Map<String, ?> data, boolean deleted) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(deleted ? (byte) 1 : (byte) 0);
      byte[] d = sha.digest(SORTED.writeValueAsBytes(data));
      long h = java.nio.ByteBuffer.wrap(d).getLong();
      return h == 0 ? 1 : h;
    } catch (java.security.NoSuchAlgorithmException | IOException e) {
      return 0;
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper SORTED =
      Json.MAPPER
          .copy()
          .configure(
              com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static String key(String collection, String id) {
    return collection + '/' + id;
  }

  private void journal(List<Object> line) {
    try {
      out.write((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8));
      if (++journalLines >= COMPACT_AFTER_LINES) {
        compact();
      }
    } catch (IOException e) {
      log.warn(
          "{} - cannot write the delivery journal ({}); after a restart some changes may be"
              + " delivered again: check the disk",
          journal,
          e.toString());
    }
  }

  private void load() throws IOException {
    if (Files.exists(snapshot)) {
      Map<String, Object> s = Json.readMap(Files.readString(snapshot));
      asMap(s.get("cursors")).forEach((k, v) -> cursors.put(k, ((Number) v).longValue()));
      asMap(s.get("endpoint_streams")).forEach((k, v) -> endpointStreams.put(k, (String) v));
      Object vs = s.get("versions");
      if (vs instanceof List<?> list) {
        for (Object o : list) {
          List<?> e = (List<?>) o;
          versions.put(
              (String) e.get(0),
              new Delivered(
                  ((Number) e.get(1)).longValue(),
                  e.size() > 2 ? ((Number) e.get(2)).longValue() : 0L));
        }
      }
    }
    if (Files.exists(journal)) {
      List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
      for (String line : lines) {
        try {
          List<Object> l = Json.MAPPER.readValue(line, LINE);
          if ("e".equals(l.get(0))) {
            endpointStreams.put((String) l.get(1), (String) l.get(2));
          } else if ("c".equals(l.get(0))) {
            cursors.merge((String) l.get(1), ((Number) l.get(2)).longValue(), Math::max);
          } else {
            apply(
                (String) l.get(1),
                ((Number) l.get(2)).longValue(),
                (String) l.get(3),
                (String) l.get(4),
                ((Number) l.get(5)).longValue(),
                l.size() > 6 ? ((Number) l.get(6)).longValue() : 0L);
          }
        } catch (IOException | RuntimeException e) {
          log.warn("{} - ignoring a torn journal line (a crash while writing)", journal);
        }
      }
    }
    compact();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Writes a snapshot (forced, atomic) and starts an empty journal. */
  private void compact() throws IOException {
    if (out != null) {
      out.close();
    }
    List<List<Object>> vs = new ArrayList<>(versions.size());
    versions.forEach((k, v) -> vs.add(List.of(k, v.version(), v.content())));
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("cursors", cursors);
    s.put("endpoint_streams", endpointStreams);
    s.put("versions", vs);
    Path tmp = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
    try (FileOutputStream f = new FileOutputStream(tmp.toFile())) {
      f.write(Json.write(s).getBytes(StandardCharsets.UTF_8));
      f.getFD().sync();
    }
    Files.move(tmp, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    out = new FileOutputStream(journal.toFile(), false);
    journalLines = 0;
  }

  /** Compacts and closes the journal. */
  @Override
  public void close() throws IOException {
    compact();
    out.close();
  }
}
