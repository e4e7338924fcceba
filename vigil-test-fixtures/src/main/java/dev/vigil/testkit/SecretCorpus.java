package dev.vigil.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Planted secrets, in every shape a service leaks them in: under sensitive keys at several nesting
 * levels and spellings, inside free text, in HTTP headers and in exception messages and their
 * causes, in URL paths and query strings. Feed them through a path that leaves the process (a log
 * line, an error context, an alert, a Sentry event) and assert that {@link #leaks(String)} finds
 * none of them in what came out.
 *
 * <pre>{@code
 * monitoring.handleError(SecretCorpus.exception(), SecretCorpus.context());
 * assertThat(SecretCorpus.leaks(capturedOutput)).isEmpty();
 * assertThat(capturedOutput).contains(SecretCorpus.VISIBLE);   // the output is not simply empty
 * }</pre>
 *
 * <p>Every secret is a distinctive string, so finding it in output is never a coincidence. Card
 * numbers are Luhn-valid test numbers and are found with or without their separators.
 */
public final class SecretCorpus {
  /** A harmless value planted beside the secrets: it must survive redaction. */
  public static final String VISIBLE = "user-visible-42";

  public static final String PASSWORD = "hunter2-Pw-7f3a";
  public static final String PASSWORD_CAPS = "Caps-Pw-0d51e";
  public static final String USER_PASSWORD = "user-Pw-88c1b";
  public static final String CLIENT_SECRET = "s3cr3t-Client-91bd";
  public static final String CLIENT_SECRET_CAMEL = "camel-Secret-4e7f";
  public static final String ACCESS_TOKEN = "tok-Access-5e2c9";
  public static final String REFRESH_TOKEN = "tok-Refresh-a61d3";
  public static final String CSRF_TOKEN = "tok-Csrf-2b9e4";
  public static final String API_KEY = "ak-Live-0c8d41";
  public static final String API_KEY_HEADER = "ak-Header-7d2f90";
  public static final String API_KEY_CAMEL = "ak-Camel-31f5aa";
  public static final String AUTHORIZATION = "bt-Header-3f9a27c1";
  public static final String PROXY_AUTHORIZATION = "Pr0xyAuthCred19";
  public static final String COOKIE = "sess-Cookie-77aa12";
  public static final String SET_COOKIE = "sess-SetCookie-19fe3";
  public static final String CARD_NUMBER = "5500 0055 5555 5559";
  public static final String CARD_NUMBER_CAMEL = "3782-822463-10005";
  public static final String CVV = "cvv-val-4821";
  public static final String CVC = "cvc-val-6630";
  public static final String PRIVATE_KEY = "pk-Private-5c0e2";
  public static final String LIST_TOKEN = "tok-InList-8d0c7";
  public static final String DEEP_PASSWORD = "deep-Pw-5f1e0";

  public static final String CARD_IN_TEXT = "4111 1111 1111 1111";
  public static final String CARD_IN_TEXT_DASHED = "4012-8888-8888-1881";
  public static final String CARD_IN_EXCEPTION = "6011 1111 1111 1117";
  public static final String CARD_BARE = "4242424242424242";
  public static final String BEARER_IN_TEXT = "bt-Text-6d1e0f9a";
  public static final String BEARER_IN_CAUSE = "bt-Cause-0a9b8c7d";
  public static final String JWT =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXNlY3JldC1qd3Q";
  public static final String URL_PASSWORD = "db-Pass-8812";
  public static final String URL_PASSWORD_IN_CAUSE = "exc-Pass-2219";
  public static final String SENTRY_DSN_KEY = "a1b2c3d4e5f6sentrykey";
  public static final String TELEGRAM_TOKEN = "123456789:AAHtelegramBotToken_abcdefghij1234567890";
  public static final String SLACK_WEBHOOK_SECRET = "T000AAAA/B000BBBB/slackWebhookSecret123";
  public static final String GITHUB_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
  public static final String AWS_ACCESS_KEY = "AKIAIOSFODNN7EXAMPL3";
  public static final String TEXT_PASSWORD = "text-Pw-9e2d";
  public static final String QUERY_TOKEN = "tok-Query-71c0";
  public static final String JSON_SECRET = "json-Secret-c41a";
  public static final String EXCEPTION_TOKEN = "tok-Exc-50b3";
  public static final String SUPPRESSED_SECRET = "supp-Secret-e83f";
  public static final String DIGEST_CREDENTIAL = "digestCred0x77";
  public static final String PATH_TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  public static final String WEBHOOK_PATH_TOKEN = "AbCdEfGhIjKlMnOpQrStUvWx0123456789yz";
  public static final String INVITE_TOKEN = "inv1tePqR7";
  public static final String QUERY_KEY = "AIzaSyA1b2C3d4E5f6G7h8I9j0kLmN";
  public static final String QUERY_SIGNATURE = "sig-8c1f0e2d";
  public static final String GROUPING_API_KEY = "grp-Key-4d77b1";

  private static final List<String> SECRETS =
      List.of(
          PASSWORD,
          PASSWORD_CAPS,
          USER_PASSWORD,
          CLIENT_SECRET,
          CLIENT_SECRET_CAMEL,
          ACCESS_TOKEN,
          REFRESH_TOKEN,
          CSRF_TOKEN,
          API_KEY,
          API_KEY_HEADER,
          API_KEY_CAMEL,
          AUTHORIZATION,
          PROXY_AUTHORIZATION,
          COOKIE,
          SET_COOKIE,
          CARD_NUMBER,
          CARD_NUMBER_CAMEL,
          CVV,
          CVC,
          PRIVATE_KEY,
          LIST_TOKEN,
          DEEP_PASSWORD,
          CARD_IN_TEXT,
          CARD_IN_TEXT_DASHED,
          CARD_IN_EXCEPTION,
          CARD_BARE,
          BEARER_IN_TEXT,
          BEARER_IN_CAUSE,
          JWT,
          URL_PASSWORD,
          URL_PASSWORD_IN_CAUSE,
          SENTRY_DSN_KEY,
          TELEGRAM_TOKEN,
          SLACK_WEBHOOK_SECRET,
          GITHUB_TOKEN,
          AWS_ACCESS_KEY,
          TEXT_PASSWORD,
          QUERY_TOKEN,
          JSON_SECRET,
          EXCEPTION_TOKEN,
          SUPPRESSED_SECRET,
          DIGEST_CREDENTIAL,
          PATH_TOKEN,
          WEBHOOK_PATH_TOKEN,
          INVITE_TOKEN,
          QUERY_KEY,
          QUERY_SIGNATURE,
          GROUPING_API_KEY);

  private SecretCorpus() {}

  /** Every planted secret. */
  public static List<String> secrets() {
    return SECRETS;
  }

  /**
   * An error or log context: secrets under sensitive keys in many spellings, nested in maps and
   * lists, and in free-text values, beside {@link #VISIBLE} fields that must survive.
   */
  public static Map<String, Object> context() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("userId", VISIBLE);
    context.put("tokens", 1500);
    context.put("password", PASSWORD);
    context.put("PASSWORD", PASSWORD_CAPS);
    context.put("client_secret", CLIENT_SECRET);
    context.put("access_token", ACCESS_TOKEN);
    context.put("X-Api-Key", API_KEY_HEADER);
    context.put("card_number", CARD_NUMBER);
    context.put("cvv", CVV);
    context.put("messageText", texts().get(0));
    Map<String, Object> credentials = new LinkedHashMap<>();
    credentials.put("user_password", USER_PASSWORD);
    credentials.put("clientSecret", CLIENT_SECRET_CAMEL);
    credentials.put("refreshToken", REFRESH_TOKEN);
    credentials.put("apiKey", API_KEY_CAMEL);
    credentials.put("private-key", PRIVATE_KEY);
    Map<String, Object> deeper = new LinkedHashMap<>();
    deeper.put("note", "see " + VISIBLE);
    deeper.put("level3", Map.of("level4", Map.of("Password", DEEP_PASSWORD)));
    credentials.put("nested", deeper);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", VISIBLE);
    user.put("credentials", credentials);
    context.put("user", user);
    Map<String, Object> payment = new LinkedHashMap<>();
    payment.put("cardNumber", CARD_NUMBER_CAMEL);
    payment.put("CVC", CVC);
    payment.put("number", CARD_BARE);
    context.put("payment", payment);
    context.put("headers", headers());
    context.put(
        "attempts",
        List.of(
            Map.of("attempt", 1, "csrf_token", CSRF_TOKEN),
            Map.of("attempt", 2, "api_key", API_KEY, "token", LIST_TOKEN)));
    context.put("notes", new ArrayList<>(texts()));
    return context;
  }

  /** Request headers as a servlet filter or an HTTP client would record them. */
  public static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Request-Id", VISIBLE);
    headers.put("Authorization", "Bearer " + AUTHORIZATION);
    headers.put("Proxy-Authorization", "Basic " + PROXY_AUTHORIZATION);
    headers.put("Cookie", "session=" + COOKIE + "; theme=dark");
    headers.put("Set-Cookie", "sid=" + SET_COOKIE + "; HttpOnly");
    return headers;
  }

  /** Free text with secrets recognisable only by their form. */
  public static List<String> texts() {
    return List.of(
        "Payment declined for card " + CARD_IN_TEXT + " (user " + VISIBLE + ")",
        "card " + CARD_IN_TEXT_DASHED + " was refused by the issuer",
        "calling upstream with Authorization: Bearer " + BEARER_IN_TEXT,
        "session token " + JWT + " expired",
        "cannot connect to postgres://app:" + URL_PASSWORD + "@db.internal:5432/app",
        "Sentry DSN is https://" + SENTRY_DSN_KEY + "@o12345.ingest.sentry.io/678",
        "POST https://api.telegram.org/bot" + TELEGRAM_TOKEN + "/sendMessage timed out",
        "webhook https://hooks.slack.com/services/" + SLACK_WEBHOOK_SECRET + " returned 404",
        "git push with " + GITHUB_TOKEN + " and aws key " + AWS_ACCESS_KEY,
        "config loaded: password=" + TEXT_PASSWORD + ", region=eu-west-1",
        "GET /oauth/callback?state=ok&access_token=" + QUERY_TOKEN + "&scope=read",
        "upstream said {\"error\":\"denied\",\"client_secret\":\"" + JSON_SECRET + "\"}",
        "Authorization: Digest " + DIGEST_CREDENTIAL,
        "password reset link https://app.example.com/v1/reset-password/" + PATH_TOKEN + " sent",
        "POST https://chat.example.com/api/webhooks/112233445566778899/"
            + WEBHOOK_PATH_TOKEN
            + " returned 500",
        "invite https://app.example.com/invite/" + INVITE_TOKEN + " expired",
        "GET https://maps.example.com/geocode?address=Berlin&key=" + QUERY_KEY + " failed",
        "download https://files.example.com/report.pdf?expires=1700000000&sig="
            + QUERY_SIGNATURE
            + " refused",
        "upstream rejected api_key=" + GROUPING_API_KEY);
  }

  /**
   * An exception whose message, cause and suppressed exception carry secrets, as a payment client
   * that puts the request into its error message would throw.
   */
  public static Exception exception() {
    IOException cause =
        new IOException(
            "POST https://merchant:"
                + URL_PASSWORD_IN_CAUSE
                + "@pay.example/charges failed;"
                + " Authorization: Bearer "
                + BEARER_IN_CAUSE);
    IllegalStateException error =
        new IllegalStateException(
            "charge failed for card " + CARD_IN_EXCEPTION + " with token=" + EXCEPTION_TOKEN,
            cause);
    error.addSuppressed(new IllegalArgumentException("retry with secret=" + SUPPRESSED_SECRET));
    return error;
  }

  /**
   * The planted secrets that appear in {@code output}. Card numbers are also looked for without
   * their spaces and dashes, and inside JSON-escaped text.
   */
  public static List<String> leaks(String output) {
    String compact = output.replace(" ", "").replace("-", "");
    List<String> found = new ArrayList<>();
    for (String secret : SECRETS) {
      boolean card = secret.replace(" ", "").replace("-", "").chars().allMatch(Character::isDigit);
      if (output.contains(secret)
          || (card && compact.contains(secret.replace(" ", "").replace("-", "")))) {
        found.add(secret);
      }
    }
    return found;
  }
}
