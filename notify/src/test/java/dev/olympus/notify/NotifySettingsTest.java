package dev.olympus.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifySettingsTest {
  @Test
  void fromEnv_nothingSet_turnsSmsAndEmailOff() {
    NotifySettings s = NotifySettings.fromEnv(Map.of());

    assertThat(s.twilio()).isNull();
    assertThat(s.smtp()).isNull();
    assertThat(s.webhooks()).isEmpty();
  }

  @Test
  void fromEnv_everythingSet_readsEveryChannel() {
    NotifySettings s =
        NotifySettings.fromEnv(
            Map.of(
                "OLYMPUS_TWILIO_ACCOUNT_SID", "AC1",
                "OLYMPUS_TWILIO_AUTH_TOKEN", "tok",
                "OLYMPUS_TWILIO_FROM", "+1555",
                "OLYMPUS_SMTP_HOST", "mail.local",
                "OLYMPUS_SMTP_PORT", "2525",
                "OLYMPUS_SMTP_FROM", "alerts@example.com",
                "OLYMPUS_NOTIFY_WEBHOOKS", "https://a.example/h, http://b.example/h",
                "OLYMPUS_NOTIFY_WEBHOOK_SECRET", "s3"));

    assertThat(s.twilio().baseUrl()).isEqualTo(URI.create("https://api.twilio.com"));
    assertThat(s.twilio().toString()).doesNotContain("tok");
    assertThat(s.smtp().port()).isEqualTo(2525);
    assertThat(s.webhooks())
        .containsExactly(URI.create("https://a.example/h"), URI.create("http://b.example/h"));
    assertThat(s.webhookSecret()).isEqualTo("s3");
  }

  @Test
  void fromEnv_halfConfiguredSms_namesTheMissingVariable() {
    assertThatThrownBy(() -> NotifySettings.fromEnv(Map.of("OLYMPUS_TWILIO_ACCOUNT_SID", "AC1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OLYMPUS_TWILIO_AUTH_TOKEN");
  }

  @Test
  void fromEnv_badValues_sayWhatIsExpected() {
    assertThatThrownBy(() -> NotifySettings.fromEnv(Map.of("OLYMPUS_NOTIFY_WEBHOOKS", "ftp://x")))
        .hasMessageContaining("OLYMPUS_NOTIFY_WEBHOOKS")
        .hasMessageContaining("http(s)");
    assertThatThrownBy(
            () ->
                NotifySettings.fromEnv(
                    Map.of(
                        "OLYMPUS_SMTP_HOST",
                        "h",
                        "OLYMPUS_SMTP_FROM",
                        "a@b",
                        "OLYMPUS_SMTP_PORT",
                        "smtp")))
        .hasMessageContaining("OLYMPUS_SMTP_PORT");
  }

  @Test
  void backoffAfter_doublesUpToTheMaximum() {
    NotifySettings s =
        NotifySettings.none().withRetries(10, Duration.ofSeconds(5), Duration.ofSeconds(30));

    assertThat(s.backoffAfter(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.backoffAfter(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.backoffAfter(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.backoffAfter(4)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.backoffAfter(9)).isEqualTo(Duration.ofSeconds(30));
  }
}
