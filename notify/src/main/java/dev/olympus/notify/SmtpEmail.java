package dev.olympus.notify;

import dev.olympus.notify.NotifySettings.SmtpSettings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;

/**
 * E-mail over SMTP (Angus Mail). Each message's {@code Message-ID} is derived from the notification
 * id, so a message sent again after a crash carries the same id and mail systems can drop the copy;
 * SMTP offers no way to ask whether the first one went out.
 */
final class SmtpEmail implements Sender {
  private final SmtpSettings settings;
  private final Session session;

  SmtpEmail(SmtpSettings settings, Duration timeout) {
    this.settings = settings;
    Properties props = new Properties();
    props.put("mail.smtp.host", settings.host());
    props.put("mail.smtp.port", Integer.toString(settings.port()));
    props.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
    props.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
    props.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
    if (settings.username() != null) {
      props.put("mail.smtp.auth", "true");
      props.put("mail.smtp.starttls.enable", "true");
    }
    this.session = Session.getInstance(props);
  }

  static String messageId(Notification n) {
    return "<" + n.id() + "@olympus.notify>";
  }

  @Override
  public Delivery send(Notification n) {
    try {
      MimeMessage message =
          new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
              setHeader("Message-ID", messageId(n));
            }
          };
      message.setFrom(new InternetAddress(settings.from()));
      message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(n.recipient(), true));
      message.setSubject(n.subject() == null ? "[Olympus] alert" : n.subject(), "UTF-8");
      message.setText(n.body() + "\n\nAlert " + n.alertId() + "\n", "UTF-8");
      if (settings.username() != null) {
        Transport.send(message, settings.username(), settings.password());
      } else {
        Transport.send(message);
      }
      return new Delivery.Sent(messageId(n));
    } catch (SendFailedException e) {
      if (e.getValidUnsentAddresses() == null || e.getValidUnsentAddresses().length == 0) {
        return new Delivery.Failed("mail server refused " + n.recipient() + ": " + e.getMessage());
      }
      return new Delivery.Retry("mail not sent: " + e.getMessage());
    } catch (jakarta.mail.internet.AddressException e) {
      return new Delivery.Failed("not an e-mail address: " + n.recipient());
    } catch (MessagingException e) {
      return new Delivery.Retry("mail server unreachable or failing: " + e.getMessage());
    }
  }
}
