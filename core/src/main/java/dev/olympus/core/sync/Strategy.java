package dev.olympus.core.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * How a concurrent edit of one record is resolved: {@code last_write_wins}, {@code server_wins},
 * {@code client_wins}, {@code merge} (field-level last write wins), {@code append_only} (inserts
 * only) or {@code custom:<name>} (a resolver in code, such as {@code custom:orders}).
 */
public record Strategy(Kind kind, String customName) {
  /** The strategy kinds. */
  public enum Kind {
    LAST_WRITE_WINS("last_write_wins"),
    SERVER_WINS("server_wins"),
    CLIENT_WINS("client_wins"),
    MERGE("merge"),
    APPEND_ONLY("append_only"),
    CUSTOM("custom");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** The name in {@code sync_config}. */
    public String wireName() {
      return wireName;
    }
  }

  public static final Strategy LAST_WRITE_WINS = new Strategy(Kind.LAST_WRITE_WINS, null);
  public static final Strategy SERVER_WINS = new Strategy(Kind.SERVER_WINS, null);
  public static final Strategy CLIENT_WINS = new Strategy(Kind.CLIENT_WINS, null);
  public static final Strategy MERGE = new Strategy(Kind.MERGE, null);
  public static final Strategy APPEND_ONLY = new Strategy(Kind.APPEND_ONLY, null);

  public Strategy {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.CUSTOM) != (customName != null && !customName.isBlank())) {
      throw new IllegalArgumentException(
          "a custom strategy needs a resolver name (custom:<name>), and only a custom one has one");
    }
  }

  /** The custom strategy that uses the resolver named {@code name}. */
  public static Strategy custom(String name) {
    return new Strategy(Kind.CUSTOM, name);
  }

  /**
   * Parses a wire name such as {@code merge} or {@code custom:orders}.
   *
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  @JsonCreator
  public static Strategy parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("strategy is missing");
    }
    if (name.startsWith("custom:") && name.length() > "custom:".length()) {
      return custom(name.substring("custom:".length()));
    }
    for (Kind k : Kind.values()) {
      if (k != Kind.CUSTOM && k.wireName().equals(name)) {
        return new Strategy(k, null);
      }
    }
    throw new IllegalArgumentException(
        "unknown strategy '"
            + name
            + "': expected one of last_write_wins, server_wins, client_wins, merge, append_only,"
            + " custom:<name>");
  }

  /** The wire name. */
  @JsonValue
  public String wireName() {
    return kind == Kind.CUSTOM ? "custom:" + customName : kind.wireName();
  }

  @Override
  public String toString() {
    return wireName();
  }
}
