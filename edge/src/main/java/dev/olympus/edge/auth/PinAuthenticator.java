package dev.olympus.edge.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Employee PIN login on the edge, against the bcrypt {@code pin_hash} of the synced config, so
 * terminals can sign employees in while the internet is down. A terminated, deleted or unknown
 * employee is refused exactly like a wrong PIN (same answer, and a bcrypt check of the same cost),
 * so the endpoint does not reveal which employee ids exist. Attempts are throttled per employee id
 * ({@link PinThrottle}).
 *
 * <p>bcrypt is slow on purpose (tens of ms per check). The checks run on a small pool of platform
 * threads of their own, never on the request's (virtual) thread: a burst of logins must not take
 * every carrier thread from the rest of the LAN API, and a full queue answers "busy" instead of
 * piling up.
 */
public final class PinAuthenticator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PinAuthenticator.class);
  private static final String EMPLOYEES = "employees";
  private static final String ROLES = "roles";

  /**
   * Checked when there is no real hash, so refusals all take as long as a wrong PIN (the cloud
   * hashes PINs at cost 10). Made on first use: it costs a bcrypt hash.
   */
  private static final class Decoy {
    static final byte[] HASH =
        BCrypt.withDefaults().hash(10, "decoy-pin-never-matches".toCharArray());
  }

  private final ConfigCache config;
  private final PinThrottle throttle;
  private final ThreadPoolExecutor bcryptPool;

  /** The answer to a login attempt. */
  public sealed interface Result {}

  /** The PIN is right: who signed in and what they may do. */
  public record Accepted(Employee employee) implements Result {}

  /** Wrong PIN, or an employee who may not sign in (unknown, deleted, terminated). */
  public record Refused() implements Result {}

  /** Too many attempts for this employee id: try again after {@code retryAfter}. */
  public record Throttled(Duration retryAfter) implements Result {}

  /** All bcrypt workers are busy and the queue is full: try again in a moment. */
  public record Busy() implements Result {}

  /** The signed-in employee as terminals get it. */
  public record Employee(
      @JsonProperty("employee_id") String employeeId,
      @JsonProperty("first_name") String firstName,
      @JsonProperty("last_name") String lastName,
      @JsonProperty("role_id") String roleId,
      @JsonProperty("role_name") String roleName,
      @JsonProperty("privileges") List<String> privileges) {
    public Employee {
      privileges = List.copyOf(privileges);
    }
  }

  /**
   * @param threads bcrypt checks run at once at most
   * @param queue checks waiting at most before attempts are answered busy
   */
  public PinAuthenticator(ConfigCache config, PinThrottle throttle, int threads, int queue) {
    this.config = config;
    this.throttle = throttle;
    this.bcryptPool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            Thread.ofPlatform().daemon().name("edge-pin-bcrypt-", 0).factory(),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** Half the cores (at least one) for bcrypt, 64 checks queued. */
  public static PinAuthenticator standard(ConfigCache config, PinThrottle throttle) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new PinAuthenticator(config, throttle, threads, 64);
  }

  /** Checks {@code pin} for {@code employeeId}; blocks the caller (a virtual thread) meanwhile. */
  public Result authenticate(String employeeId, String pin) {
    Optional<Duration> wait = throttle.tryAcquire(employeeId);
    if (wait.isPresent()) {
      return new Throttled(wait.get());
    }
    // Read first, then let go of the database before the slow part.
    Optional<ConfigEntity> employee = config.find(EMPLOYEES, employeeId);
    Optional<String> hash =
        employee
            .filter(e -> !"terminated".equals(e.data().get("status")))
            .flatMap(e -> e.text("pin_hash"))
            .filter(h -> h.startsWith("$2"));
    boolean verified;
    try {
      verified = bcryptPool.submit(() -> verify(pin, hash)).get();
    } catch (RejectedExecutionException e) {
      return new Busy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Busy();
    } catch (ExecutionException e) {
      log.warn("PIN check of employee {} failed: {}", employeeId, e.getCause().toString());
      return new Refused();
    }
    if (!verified || hash.isEmpty()) {
      return new Refused();
    }
    throttle.onSuccess(employeeId);
    return new Accepted(profile(employee.get()));
  }

  private static boolean verify(String pin, Optional<String> hash) {
    byte[] candidate = pin.getBytes(StandardCharsets.UTF_8);
    if (hash.isEmpty()) {
      BCrypt.verifyer().verify(candidate, Decoy.HASH);
      return false;
    }
    try {
      return BCrypt.verifyer()
          .verify(candidate, hash.get().getBytes(StandardCharsets.UTF_8))
          .verified;
    } catch (IllegalArgumentException e) {
      log.warn("an employee's pin_hash is not a bcrypt hash: {}", e.getMessage());
      return false;
    }
  }

  private Employee profile(ConfigEntity e) {
    String roleId = e.text("role_id").orElse(null);
    Optional<ConfigEntity> role = roleId == null ? Optional.empty() : config.find(ROLES, roleId);
    List<String> privileges = new ArrayList<>();
    role.map(r -> r.data().get("privileges"))
        .filter(List.class::isInstance)
        .ifPresent(
            list -> {
              for (Object p : (List<?>) list) {
                if (p instanceof String s) {
                  privileges.add(s);
                }
              }
            });
    return new Employee(
        e.id(),
        e.text("first_name").orElse(""),
        e.text("last_name").orElse(""),
        roleId,
        role.flatMap(r -> r.text("name")).orElse(null),
        privileges);
  }

  @Override
  public void close() {
    bcryptPool.shutdownNow();
  }
}
