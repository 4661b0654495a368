package dev.olympus.cloud.config;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.olympus.cloud.http.ApiException;
import dev.olympus.cloud.http.Bodies;
import dev.olympus.cloud.sync.OpParser;
import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.config.FieldProblem;
import dev.olympus.core.config.FieldSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a request body into an entity's data: the registry's field checks, then write-only fields
 * hashed. A PIN is hashed here, before any transaction, and never stored or logged in plaintext.
 */
final class EntityBodies {
  private static final Pattern PIN = Pattern.compile("\\d{4,8}");
  private static final int BCRYPT_COST = 10;

  private EntityBodies() {}

  /**
   * Checked and hashed data for {@code type}.
   *
   * @param creating a create (required write-only fields must be there) or a replace
   */
  static Map<String, Object> entityData(
      EntityType type, Map<String, Object> body, boolean creating) {
    List<FieldProblem> problems = type.validate(body, creating);
    if (!problems.isEmpty()) {
      FieldProblem p = problems.get(0);
      throw new ApiException(400, p.code(), p.message(), p.field());
    }
    for (String name : body.keySet()) {
      // A credential under an undeclared name would be stored in plaintext: refuse it.
      if (ConfigRegistry.NEVER_SYNCED_FIELDS.contains(name) && type.field(name).isEmpty()) {
        throw ApiException.invalidField(
            name,
            type.table()
                + " has no field "
                + name
                + ": credentials are kept only where the registry declares them (e.g."
                + " tenders.api_key, employees.pin)");
      }
    }
    Map<String, Object> data = new LinkedHashMap<>(body);
    for (FieldSpec f : type.fields()) {
      if (!f.writeOnly()) {
        continue;
      }
      if (data.containsKey(f.storedName())) {
        throw ApiException.invalidField(
            f.storedName(),
            f.storedName() + " is computed by the cloud: send " + f.name() + " instead");
      }
      Object value = data.remove(f.name());
      if (value instanceof String plain) {
        if (f.name().equals("pin") && !PIN.matcher(plain).matches()) {
          throw ApiException.invalidField(
              "pin", type.table() + ".pin must be 4 to 8 digits (as a string), e.g. \"4821\"");
        }
        data.put(
            f.storedName(), BCrypt.withDefaults().hashToString(BCRYPT_COST, plain.toCharArray()));
      }
    }
    return data;
  }

  /** The body's {@code id}, or null; 400 unless a short id of safe characters. */
  static String optionalId(Map<String, Object> body) {
    Object id = body.get("id");
    if (id == null) {
      return null;
    }
    if (!(id instanceof String s)) {
      throw ApiException.invalidField(
          "id", "id must be a string, was " + id.getClass().getSimpleName());
    }
    Bodies.checkMatches("id", s, OpParser.ID, OpParser.ID_RULE + " (a UUIDv7 is best)");
    return s;
  }

  /** The entity as the admin API shows it: no secrets, no PINs, no PIN hashes. */
  static Map<String, Object> adminView(EntityType type, Map<String, Object> stored) {
    Map<String, Object> view = type.wireData(stored);
    for (FieldSpec f : type.fields()) {
      if (f.writeOnly()) {
        view.remove(f.storedName());
      }
    }
    return view;
  }
}
