package dev.olympus.edge.iot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.olympus.core.iot.CommandTopic;
import dev.olympus.core.iot.IotDevice;
import dev.olympus.core.sync.UuidV7;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands to the location's equipment (an HVAC set point, …): stored in {@code device_commands},
 * then published QoS 1 on the device's {@code …/commands/{device_id}/action} topic, answered by the
 * device on {@code …/ack}. A command not answered within {@link #ACK_TIMEOUT} is {@code expired};
 * an answer arriving later still records what the device did.
 *
 * <p>Issuing runs on the caller's (LAN request) thread; answers and expiry run on the hub's ingest
 * thread. The store's single writer connection orders them.
 */
public final class DeviceCommands {
  private static final Logger log = LoggerFactory.getLogger(DeviceCommands.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a device has to answer a command before it is {@code expired}. */
  public static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

  /** The largest acknowledgement payload read; a larger one is refused unread. */
  static final int MAX_ACK_BYTES = 4_096;

  private static final int MAX_MESSAGE_CHARS = 500;
  private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** A command as stored; {@code value} and {@code params} are null when the command had none. */
  public record Command(
      String commandId,
      String deviceId,
      String action,
      JsonNode value,
      JsonNode params,
      String status,
      long issuedAt,
      Long ackedAt,
      String message,
      String idempotencyKey) {

    /** The API's view of a command. */
    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("command_id", commandId);
      m.put("device_id", deviceId);
      m.put("action", action);
      if (value != null) {
        m.put("value", value);
      }
      if (params != null) {
        m.put("params", params);
      }
      m.put("status", status);
      m.put("issued_at", Instant.ofEpochMilli(issuedAt).toString());
      m.put("acked_at", ackedAt == null ? null : Instant.ofEpochMilli(ackedAt).toString());
      m.put("message", message);
      return m;
    }

    /** Whether this command asks the same of the same device as the given request. */
    public boolean sameRequest(String device, String act, JsonNode val, JsonNode par) {
      return deviceId.equals(device)
          && action.equals(act)
          && Objects.equals(value, val)
          && Objects.equals(params, par);
    }
  }

  /** The result of {@link #issue}: the command, and whether it was issued before (same key). */
  public record Issued(Command command, boolean replayed) {}

  /** Why a device's acknowledgement was refused; {@code reason} is the rejected counter's name. */
  record Refusal(String reason, String why) {}

  private final Jdbi jdbi;
  private final Jdbi reads;
  private final Clock clock;
  private final Duration timeout;
  private final BiFunction<String, byte[], CompletableFuture<Void>> publisher;

  /**
   * @param publisher publishes a payload on a topic (QoS 1, not retained); completes when the
   *     broker has it
   */
  DeviceCommands(
      TelemetryStore store,
      Clock clock,
      Duration timeout,
      BiFunction<String, byte[], CompletableFuture<Void>> publisher) {
    this.jdbi = store.jdbi();
    this.reads = store.reads();
    this.clock = clock;
    this.timeout = timeout;
    this.publisher = publisher;
  }

  /**
   * Stores a command for {@code device} and publishes it on the device's action topic. With an
   * {@code idempotencyKey} already used, answers the command issued then and publishes nothing.
   * When the broker does not take the command, it is stored as {@code failed} with the reason.
   */
  public Issued issue(
      IotDevice device, String action, JsonNode value, JsonNode params, String idempotencyKey) {
    if (idempotencyKey != null) {
      Optional<Command> earlier = byKey(idempotencyKey);
      if (earlier.isPresent()) {
        return new Issued(earlier.get(), true);
      }
    }
    String commandId = UuidV7.next();
    long now = clock.millis();
    ObjectNode payload = JSON.createObjectNode();
    payload.put("command_id", commandId);
    payload.put("action", action);
    if (value != null) {
      payload.set("value", value);
    }
    if (params != null) {
      payload.set("params", params);
    }
    payload.put("ts", now);
    String payloadJson = payload.toString();
    int inserted =
        jdbi.withHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO device_commands (command_id, device_id, action, payload,"
                            + " status, issued_at, idempotency_key) VALUES (:id, :device,"
                            + " :action, :payload, 'sent', :now, :key)"
                            + " ON CONFLICT (idempotency_key) DO NOTHING")
                    .bind("id", commandId)
                    .bind("device", device.deviceId())
                    .bind("action", action)
                    .bind("payload", payloadJson)
                    .bind("now", now)
                    .bind("key", idempotencyKey)
                    .execute());
    if (inserted == 0) {
      // The same key in a request running at the same moment: that one stored and publishes it.
      return new Issued(byKey(idempotencyKey).orElseThrow(), true);
    }
    String topic =
        new CommandTopic(device.tenantId(), device.locationId(), device.deviceId()).name();
    try {
      publisher
          .apply(topic, payloadJson.getBytes(StandardCharsets.UTF_8))
          .get(10, TimeUnit.SECONDS);
      log.info(
          "IoT command {}{} sent to {} ({})",
          action,
          value == null ? "" : " " + value,
          device.deviceId(),
          commandId);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String why = "the hub could not publish the command: " + e;
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "UPDATE device_commands SET status = 'failed', message = :m"
                          + " WHERE command_id = :id AND status = 'sent'")
                  .bind("m", abbreviate(why, MAX_MESSAGE_CHARS))
                  .bind("id", commandId)
                  .execute());
      log.warn("IoT command {} to {} not sent ({}): {}", action, device.deviceId(), commandId, why);
    }
    return new Issued(find(commandId).orElseThrow(), false);
  }

  /** A command by id. */
  public Optional<Command> find(String commandId) {
    return reads.withHandle(
        h ->
            h.createQuery(SELECT + " WHERE command_id = :id")
                .bind("id", commandId)
                .map((rs, ctx) -> row(rs))
                .findOne());
  }

  /** A device's commands, newest first, at most {@code limit}. */
  public List<Command> forDevice(String deviceId, int limit) {
    return reads.withHandle(
        h ->
            h.createQuery(
                    SELECT
                        + " WHERE device_id = :d ORDER BY issued_at DESC, command_id DESC"
                        + " LIMIT :limit")
                .bind("d", deviceId)
                .bind("limit", limit)
                .map((rs, ctx) -> row(rs))
                .list());
  }

  private Optional<Command> byKey(String key) {
    // From the writer's connection: a command stored a moment ago by a racing request is seen.
    return jdbi.withHandle(
        h ->
            h.createQuery(SELECT + " WHERE idempotency_key = :k")
                .bind("k", key)
                .map((rs, ctx) -> row(rs))
                .findOne());
  }

  /**
   * Records {@code deviceId}'s answer ({@code {"command_id":…,"status":"ok"|"failed","message":…}})
   * on the ingest thread. The first answer to a command wins; an answer to a command that expired
   * still records it. Returns why the answer was refused, or empty when recorded.
   */
  Optional<Refusal> acknowledge(String deviceId, byte[] payload) {
    if (payload.length > MAX_ACK_BYTES) {
      return refuse("bad_ack", "the acknowledgement is over " + MAX_ACK_BYTES + " bytes");
    }
    JsonNode ack;
    try {
      ack = JSON.readTree(payload);
    } catch (IOException e) {
      return refuse("bad_ack", "the acknowledgement is not valid JSON");
    }
    if (ack == null || !ack.isObject()) {
      return refuse("bad_ack", "the acknowledgement must be a JSON object");
    }
    JsonNode id = ack.get("command_id");
    if (id == null || !id.isTextual() || !COMMAND_ID.matcher(id.asText()).matches()) {
      return refuse("bad_ack", "command_id is required: the id of the command answered");
    }
    JsonNode status = ack.get("status");
    if (status == null
        || !status.isTextual()
        || !(status.asText().equals("ok") || status.asText().equals("failed"))) {
      return refuse("bad_ack", "status must be ok or failed");
    }
    JsonNode messageNode = ack.get("message");
    if (messageNode != null && !messageNode.isNull() && !messageNode.isTextual()) {
      return refuse("bad_ack", "message must be a string or null");
    }
    String commandId = id.asText();
    String outcome = status.asText().equals("ok") ? "acknowledged" : "failed";
    String message =
        messageNode == null || messageNode.isNull()
            ? null
            : abbreviate(messageNode.asText(), MAX_MESSAGE_CHARS);
    long now = clock.millis();
    int updated =
        jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE device_commands SET status = :s, acked_at = :now, message = :m"
                            + " WHERE command_id = :id AND device_id = :d"
                            + " AND status IN ('sent', 'expired')")
                    .bind("s", outcome)
                    .bind("now", now)
                    .bind("m", message)
                    .bind("id", commandId)
                    .bind("d", deviceId)
                    .execute());
    if (updated == 1) {
      log.info(
          "IoT command {} {} by {}{}",
          commandId,
          outcome,
          deviceId,
          message == null ? "" : ": " + message);
      return Optional.empty();
    }
    Optional<Command> known = byId(commandId);
    if (known.isEmpty()) {
      return refuse("unknown_command", "no command " + commandId + " was sent");
    }
    if (!known.get().deviceId().equals(deviceId)) {
      return refuse("wrong_device", "command " + commandId + " was sent to another device");
    }
    return refuse(
        "duplicate_ack",
        "command " + commandId + " was already answered (" + known.get().status() + ")");
  }

  private Optional<Command> byId(String commandId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(SELECT + " WHERE command_id = :id")
                .bind("id", commandId)
                .map((rs, ctx) -> row(rs))
                .findOne());
  }

  /** Marks every command sent before {@code now} minus the timeout and unanswered as expired. */
  int expire(Instant now) {
    long cutoff = now.toEpochMilli() - timeout.toMillis();
    List<Command> overdue =
        jdbi.withHandle(
            h ->
                h.createQuery(SELECT + " WHERE status = 'sent' AND issued_at <= :cutoff")
                    .bind("cutoff", cutoff)
                    .map((rs, ctx) -> row(rs))
                    .list());
    for (Command c : overdue) {
      int n =
          jdbi.withHandle(
              h ->
                  h.createUpdate(
                          "UPDATE device_commands SET status = 'expired'"
                              + " WHERE command_id = :id AND status = 'sent'")
                      .bind("id", c.commandId())
                      .execute());
      if (n == 1) {
        log.warn(
            "IoT command {} to {} expired: no answer within {} s ({})",
            c.action(),
            c.deviceId(),
            timeout.toSeconds(),
            c.commandId());
      }
    }
    return overdue.size();
  }

  private static final String SELECT =
      "SELECT command_id, device_id, action, payload, status, issued_at, acked_at, message,"
          + " idempotency_key FROM device_commands";

  private static Command row(ResultSet rs) throws SQLException {
    JsonNode payload;
    try {
      payload = JSON.readTree(rs.getString(4));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable command payload: " + e.getOriginalMessage(), e);
    }
    long acked = rs.getLong(7);
    Long ackedAt = rs.wasNull() ? null : acked;
    return new Command(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        payload.get("value"),
        payload.get("params"),
        rs.getString(5),
        rs.getLong(6),
        ackedAt,
        rs.getString(8),
        rs.getString(9));
  }

  private static Optional<Refusal> refuse(String reason, String why) {
    return Optional.of(new Refusal(reason, why));
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
