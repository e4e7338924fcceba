package readme;

// The context of a README fragment: everything a fragment may use without declaring it. Add the
// names your section's fragments use here (or write a context of your own, see JavaBlocks).

import dev.vigil.*;
import dev.vigil.alert.*;
import dev.vigil.http.*;
import dev.vigil.logback.*;
import dev.vigil.otel.*;
import dev.vigil.sentry.*;
import dev.vigil.servlet.*;
import dev.vigil.spi.*;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeoutException;

/*TYPES*/

@SuppressWarnings("unused")
abstract class Snippet {
  Monitoring monitoring;
  String userId;
  String paymentId;
  String plan;
  String chatId;
  String id;
  String text;
  String prompt;
  String apiKey;
  BigDecimal amount;
  Exception e;
  Job job;
  Payment payment;
  ImageModel model;
  Mailer mailer;
  User user;
  ThreadPoolExecutor pool;
  Message msg;
  Message message;

  abstract String generate(Job job) throws TimeoutException;

  abstract void handle(Message message);

  void snippet() throws Exception {
/*SNIPPET*/
  }

  interface Job {
    String id();
  }

  interface Payment {
    String id();
  }

  interface Image {}

  interface ImageModel {
    Image generate(String prompt) throws TimeoutException;
  }

  interface User {}

  interface Mailer {
    void send(User user);
  }

  interface Message {
    long fromId();

    String text();
  }

  static final class BotService {}
}
