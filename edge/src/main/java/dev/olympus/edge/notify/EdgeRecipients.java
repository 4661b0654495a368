package dev.olympus.edge.notify;

import dev.olympus.edge.config.ConfigCache;
import dev.olympus.edge.config.ConfigEntity;
import dev.olympus.notify.ConfigRecipientDirectory;
import dev.olympus.notify.ConfigRecords;
import dev.olympus.notify.RecipientDirectory;
import java.util.List;

/**
 * Who the edge tells about alerts: the on-duty manager and the contacts from its config cache, the
 * copy of the property's configuration synced from the cloud, so alerts reach people while the
 * internet is down. The cache holds this edge's property only, so the tenant and location asked for
 * are this edge's own.
 */
public final class EdgeRecipients implements ConfigRecords {
  private final ConfigCache cache;

  public EdgeRecipients(ConfigCache cache) {
    this.cache = cache;
  }

  /** The recipient directory of the edge's notifier. */
  public static RecipientDirectory directory(ConfigCache cache) {
    return new ConfigRecipientDirectory(new EdgeRecipients(cache));
  }

  @Override
  public List<ConfigRecord> list(String tenantId, String locationId, String entityType) {
    return cache.list(entityType).stream().map(EdgeRecipients::record).toList();
  }

  private static ConfigRecord record(ConfigEntity entity) {
    return new ConfigRecord(entity.id(), entity.data());
  }
}
