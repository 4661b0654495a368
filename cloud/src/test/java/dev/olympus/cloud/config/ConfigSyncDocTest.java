package dev.olympus.cloud.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.config.ConfigRegistry;
import dev.olympus.core.config.EntityType;
import dev.olympus.core.config.FieldKind;
import dev.olympus.core.config.FieldSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/config-sync.md lists every entity type exactly as the registry describes it. */
class ConfigSyncDocTest {
  private static final Path DOC = Path.of("..", "docs", "config-sync.md");
  private static final String START = "<!-- registry:start -->";
  private static final String END = "<!-- registry:end -->";

  @Test
  void entityTable_matchesRegistry() throws Exception {
    String doc = Files.readString(DOC);
    String block = doc.substring(doc.indexOf(START) + START.length(), doc.indexOf(END)).strip();

    String expected = String.join("\n", table());

    assertThat(block)
        .as("the table between the registry markers of %s; paste the expected text to update", DOC)
        .isEqualTo(expected);
  }

  @Test
  void openApi_describesEveryConfigEndpoint() throws Exception {
    String api = Files.readString(Path.of("..", "docs", "openapi.yaml"));
    assertThat(api)
        .contains("/api/v1/config/{entity_type}:")
        .contains("/api/v1/config/{entity_type}/{id}:")
        .contains("/api/v1/config/properties/{id}/full-sync:")
        .contains("/api/sync/config/full:")
        .contains("/api/sync/config/delta:")
        .contains("/api/service-hosts/{id}/heartbeat:");
  }

  /** The Markdown table of the registry: header, then one row per type. */
  static List<String> table() {
    List<String> rows = new ArrayList<>();
    rows.add("| type (table) | payload key | scope | tier | priority | feature flag | fields |");
    rows.add("|---|---|---|---|---|---|---|");
    for (EntityType t : ConfigRegistry.all()) {
      List<String> fields = new ArrayList<>();
      for (FieldSpec f : t.fields()) {
        String kind =
            f.kind() == FieldKind.DECIMAL ? "decimal" : f.kind().name().toLowerCase(Locale.ROOT);
        StringBuilder d =
            new StringBuilder("`" + f.name() + "`" + (f.required() ? "*" : "") + " " + kind);
        if (f.isReference()) {
          d.append(" → ").append(f.references());
        }
        if (!f.allowedValues().isEmpty()) {
          d.append(" (").append(String.join("\\|", f.allowedValues())).append(")");
        }
        if (f.writeOnly()) {
          d.append(" write-only → `").append(f.storedName()).append("`");
        }
        if (f.secret()) {
          d.append(" secret");
        }
        fields.add(d.toString());
      }
      rows.add(
          "| `"
              + t.table()
              + "` | "
              + (t.payloadKey() == null ? "— (not synced)" : "`" + t.payloadKey() + "`")
              + " | "
              + t.scope().wireName()
              + " | "
              + t.tier()
              + " | "
              + t.priority().wireName()
              + " | "
              + (t.featureFlag() == null ? "" : "`" + t.featureFlag() + "`")
              + " | "
              + String.join(", ", fields)
              + " |");
    }
    return rows;
  }
}
