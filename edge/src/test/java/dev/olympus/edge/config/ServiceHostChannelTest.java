package dev.olympus.edge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.edge.syncer.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServiceHostChannelTest {
  final List<String> heard = new ArrayList<>();
  final ServiceHostChannel channel =
      new ServiceHostChannel(
          URI.create("https://cloud.example.com/"),
          "oly_token",
          "edge 1",
          new ServiceHostChannel.Listener() {
            @Override
            public void onConfigChanged(long version, boolean urgent) {
              heard.add((urgent ? "urgent " : "changed ") + version);
            }

            @Override
            public void onFullSyncRequired(String reason) {
              heard.add("full " + reason);
            }
          },
          new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), new Random(1)),
          Duration.ofSeconds(30));

  @Test
  void socketUri_usesWssAndEncodesTheDeviceId() {
    assertThat(ServiceHostChannel.socketUri(URI.create("https://cloud.example.com/"), "edge 1"))
        .hasToString("wss://cloud.example.com/ws/service-host?device_id=edge+1");
  }

  @Test
  void onFrame_eachMessageType_tellsTheListener() {
    channel.onFrame("{\"type\":\"welcome\",\"version\":17,\"heartbeat_seconds\":30}");
    channel.onFrame("{\"type\":\"config:updated\",\"version\":18}");
    channel.onFrame(
        "{\"type\":\"config:urgent\",\"version\":19,\"entity_type\":\"employees\","
            + "\"entity_id\":\"emp-1\",\"reason\":\"employee_terminated\"}");
    channel.onFrame("{\"type\":\"sync:required\",\"reason\":\"admin_request\"}");
    channel.onFrame("{\"type\":\"heartbeat\",\"ts\":\"2026-11-22T00:00:00Z\"}");
    channel.onFrame("not json");
    channel.onFrame("null");

    assertThat(heard)
        .containsExactly("changed 17", "changed 18", "urgent 19", "full admin_request");
    assertThat(channel.notices()).isEqualTo(3);
    channel.close();
  }
}
