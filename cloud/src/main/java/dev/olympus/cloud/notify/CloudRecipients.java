package dev.olympus.cloud.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.notify.ConfigRecipientDirectory;
import dev.olympus.notify.ConfigRecords;
import dev.olympus.notify.RecipientDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Who the cloud tells about alerts: the on-duty manager and the contacts from its config store
 * ({@code config_entities}), scoped to the alert's tenant (enterprise) and location (property),
 * with the enterprise-wide entities the property sees.
 */
public final class CloudRecipients implements ConfigRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final Jdbi jdbi;

  public CloudRecipients(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The recipient directory of the cloud's notifier. */
  public static RecipientDirectory directory(Jdbi jdbi) {
    return new ConfigRecipientDirectory(new CloudRecipients(jdbi));
  }

  @Override
  public List<ConfigRecord> list(String tenantId, String locationId, String entityType) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, data FROM config_entities WHERE enterprise_id = :t"
                        + " AND entity_type = :type AND (property_id = :l OR property_id IS NULL)"
                        + " ORDER BY id")
                .bind("t", tenantId)
                .bind("type", entityType)
                .bind("l", locationId)
                .map((rs, ctx) -> new ConfigRecord(rs.getString(1), read(rs.getString(2))))
                .list());
  }

  private static Map<String, Object> read(String json) {
    try {
      return MAPPER.readValue(json, OBJECT);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored config entity is not a JSON object", e);
    }
  }
}
