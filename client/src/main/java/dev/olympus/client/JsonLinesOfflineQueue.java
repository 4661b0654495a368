package dev.olympus.client;

import dev.olympus.client.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link OfflineQueue}: an append-only file of JSON lines, one {@code add} line per
 * write and one {@code done} line per removal, each forced to disk before the call returns. The
 * file is rewritten (compacted) when the queue empties and when removed lines outnumber live ones.
 * A torn last line (a crash mid-append) is ignored on open. Not for use by two processes at once.
 */
public final class JsonLinesOfflineQueue implements OfflineQueue {
  private static final Logger log = LoggerFactory.getLogger(JsonLinesOfflineQueue.class);
  private static final int COMPACT_AFTER_DONE_LINES = 1_000;

  private final Path file;
  private final Map<String, PendingWrite> pending = new LinkedHashMap<>();
  private FileChannel channel;
  private int doneLines;

  private JsonLinesOfflineQueue(Path file) {
    this.file = file;
  }

  /**
   * Opens (or creates) the queue in {@code file}, loading the writes it holds.
   *
   * @throws IOException if the file cannot be read or created
   */
  public static JsonLinesOfflineQueue open(Path file) throws IOException {
    JsonLinesOfflineQueue q = new JsonLinesOfflineQueue(file);
    q.load();
    return q;
  }

  private synchronized void load() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    if (Files.exists(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        try {
          Map<String, Object> m = Json.readMap(line);
          if ("done".equals(m.get("kind"))) {
            pending.remove(String.valueOf(m.get("op_id")));
            doneLines++;
          } else {
            PendingWrite w = fromLine(m);
            pending.put(w.opId(), w);
          }
        } catch (IOException | RuntimeException e) {
          if (i == lines.size() - 1) {
            log.warn("{} - ignoring a torn last line (a crash while appending)", file);
          } else {
            log.warn("{} - skipping unreadable line {}: {}", file, i + 1, e.getMessage());
          }
        }
      }
    }
    rewrite();
  }

  @Override
  public synchronized void append(PendingWrite write) throws IOException {
    appendLine(toLine(write));
    pending.put(write.opId(), write);
  }

  @Override
  public synchronized Optional<PendingWrite> peek() {
    return pending.values().stream().findFirst();
  }

  @Override
  public synchronized void remove(String opId) throws IOException {
    if (pending.remove(opId) == null) {
      return;
    }
    if (pending.isEmpty()) {
      rewrite();
      return;
    }
    appendLine(Json.write(Map.of("kind", "done", "op_id", opId)));
    doneLines++;
    if (doneLines > COMPACT_AFTER_DONE_LINES && doneLines > pending.size()) {
      rewrite();
    }
  }

  @Override
  public synchronized int size() {
    return pending.size();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  private void appendLine(String json) throws IOException {
    if (channel == null) {
      throw new IOException(file + " - the offline queue is closed");
    }
    channel.write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
    channel.force(false);
  }

  /** Writes the live entries to a new file and moves it over the old one atomically. */
  private void rewrite() throws IOException {
    if (channel != null) {
      channel.close();
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (PendingWrite w : pending.values()) {
        out.write(ByteBuffer.wrap((toLine(w) + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    doneLines = 0;
  }

  private static String toLine(PendingWrite w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "add");
    m.put("op_id", w.opId());
    m.put("method", w.method().name());
    m.put("collection", w.collection());
    m.put("id", w.id());
    m.put("data", w.data());
    m.put("created_at", w.createdAtMillis());
    return Json.write(m);
  }

  @SuppressWarnings("unchecked")
  private static PendingWrite fromLine(Map<String, Object> m) {
    Object data = m.get("data");
    return new PendingWrite(
        String.valueOf(m.get("op_id")),
        WriteMethod.valueOf(String.valueOf(m.get("method"))),
        String.valueOf(m.get("collection")),
        String.valueOf(m.get("id")),
        data instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of(),
        ((Number) m.get("created_at")).longValue());
  }
}
