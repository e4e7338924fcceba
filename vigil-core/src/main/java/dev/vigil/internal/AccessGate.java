package dev.vigil.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The metrics bearer token, checked the same way for every guarded path of the metrics port: the
 * data endpoints ({@code /metrics}, {@code /kpi}, {@code /kpi/history}, a module's endpoints) and
 * the KPI page with its files. A request passes with {@code Authorization: Bearer <token>}, or, for
 * a browser, with the session cookie the page's sign-in sets.
 *
 * <p>A browser cannot add a header to the page it opens, so the page takes the token once: from a
 * small sign-in form ({@code POST /}, the token in the body, never in an address) or from {@code
 * /?token=...} on first load, which is answered with a redirect to {@code /} so the token leaves
 * the address bar and the history at once. Both set an {@code HttpOnly}, {@code SameSite=Strict}
 * cookie whose value is an HMAC of the token, not the token: a copied cookie does not reveal it,
 * and it stops working when the token changes. The cookie's name carries the port, so two services
 * on one host do not sign each other out. Nothing here logs a request line, a header or a form.
 *
 * <pre>{@code
 * AccessGate gate = AccessGate.of(token, port);      // null token: everything is open
 * HttpHandler kpi = gate.data(kpiHandler);           // 401 without the token
 * HttpHandler page = gate.page(pageHandler);         // the sign-in form without it
 * }</pre>
 */
public final class AccessGate {
  /** The largest sign-in form read; a token is far shorter. */
  private static final int MAX_FORM_BYTES = 4096;

  private static final String LOGIN_STYLE =
      "body{font:16px system-ui,sans-serif;margin:0;background:#f1f5f9;color:#0f172a}"
          + "main{max-width:28rem;margin:12vh auto;background:#fff;padding:1.5rem 2rem;"
          + "border-radius:.75rem;box-shadow:0 1px 3px #0002}"
          + "h1{font-size:1.25rem;margin:0 0 .75rem}code{font-size:.9em}"
          + "input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;margin:.5rem 0}"
          + "button{padding:.5rem 1rem;font:inherit}.error{color:#b91c1c}";

  /** The sign-in page has no script at all, and its one style block is allowed by its hash. */
  private static final String LOGIN_POLICY =
      "default-src 'none'; style-src '"
          + styleHash()
          + "'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final byte @Nullable [] bearer;
  private final byte @Nullable [] session;
  private final String cookieName;

  private AccessGate(@Nullable String token, int port) {
    this.bearer = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.session = token == null ? null : sessionValue(token).getBytes(StandardCharsets.UTF_8);
    this.cookieName = "vigil_session_" + port;
  }

  /**
   * The gate of a metrics port.
   *
   * @param token the metrics bearer token; null leaves every path open
   * @param port the port the server listens on, which names the session cookie
   */
  public static AccessGate of(@Nullable String token, int port) {
    return new AccessGate(token, port);
  }

  /** {@code handler}, answering 401 to a request with neither the token nor the session. */
  public HttpHandler data(HttpHandler handler) {
    if (bearer == null) {
      return handler;
    }
    return exchange -> {
      if (admitted(exchange)) {
        handler.handle(exchange);
        return;
      }
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"metrics\"");
      MetricsServer.respond(
          exchange,
          401,
          "text/plain; charset=utf-8",
          "Unauthorized: send Authorization: Bearer <METRICS_BEARER_TOKEN>\n");
    };
  }

  /**
   * The KPI page: {@code handler} for a request with the token or the session; otherwise the
   * sign-in at {@code /} (a form, or {@code ?token=}) and 401 for the page's files.
   */
  public HttpHandler page(HttpHandler handler) {
    if (bearer == null) {
      return handler;
    }
    HttpHandler files = data(handler);
    return exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals("/")) {
        files.handle(exchange);
        return;
      }
      String method = exchange.getRequestMethod();
      if (method.equals("POST")) {
        signIn(exchange, field(readForm(exchange), "token"));
        return;
      }
      String fromQuery = field(exchange.getRequestURI().getRawQuery(), "token");
      if (fromQuery != null) {
        signIn(exchange, fromQuery);
        return;
      }
      if (admitted(exchange)) {
        handler.handle(exchange);
        return;
      }
      loginPage(exchange, false);
    };
  }

  private boolean admitted(HttpExchange exchange) {
    String given = exchange.getRequestHeaders().getFirst("Authorization");
    // Constant-time comparisons: neither value may leak through response timing.
    if (given != null && MessageDigest.isEqual(bearer, given.getBytes(StandardCharsets.UTF_8))) {
      return true;
    }
    String cookie = cookie(exchange.getRequestHeaders(), cookieName);
    return cookie != null
        && MessageDigest.isEqual(session, cookie.getBytes(StandardCharsets.UTF_8));
  }

  private void signIn(HttpExchange exchange, @Nullable String given) throws IOException {
    byte[] expected = bearer;
    if (given == null
        || expected == null
        || !MessageDigest.isEqual(expected, ("Bearer " + given).getBytes(StandardCharsets.UTF_8))) {
      loginPage(exchange, true);
      return;
    }
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      String secure =
          "https".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"))
              ? "; Secure"
              : "";
      headers.set(
          "Set-Cookie",
          cookieName
              + "="
              + new String(session, StandardCharsets.UTF_8)
              + "; Path=/; HttpOnly; SameSite=Strict"
              + secure);
      // Relative, so the page still works behind a proxy that serves it under a prefix.
      headers.set("Location", "./");
      headers.set("Cache-Control", "no-store");
      headers.set("Referrer-Policy", "no-referrer");
      exchange.sendResponseHeaders(303, -1);
    }
  }

  private void loginPage(HttpExchange exchange, boolean rejected) throws IOException {
    String html =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<title>Vigil: token needed</title><style>"
            + LOGIN_STYLE
            + "</style></head><body><main><h1>Metrics token</h1>"
            + "<p>This service guards its metrics and its KPI page with a bearer token"
            + " (<code>METRICS_BEARER_TOKEN</code>). Enter it to see the page.</p>"
            + "<form id=\"login\" method=\"post\" action=\"./\">"
            + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\""
            + " spellcheck=\"false\" aria-label=\"Token\" autofocus required>"
            + "<button type=\"submit\">Show the page</button></form>"
            + (rejected
                ? "<p id=\"login-error\" class=\"error\">That token was not accepted.</p>"
                : "")
            + "</main></body></html>\n";
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Security-Policy", LOGIN_POLICY);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("X-Frame-Options", "DENY");
      headers.set("Cache-Control", "no-store");
      headers.set("Content-Type", "text/html; charset=utf-8");
      headers.set("WWW-Authenticate", "Bearer realm=\"metrics\"");
      byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      exchange.sendResponseHeaders(401, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The form body, or null when it is longer than any sign-in form. */
  private static @Nullable String readForm(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
      return body.length > MAX_FORM_BYTES ? null : new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The first value of {@code name} in an {@code application/x-www-form-urlencoded} string. */
  static @Nullable String field(@Nullable String encoded, String name) {
    if (encoded == null) {
      return null;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        try {
          return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          return null;
        }
      }
    }
    return null;
  }

  static @Nullable String cookie(Headers headers, String name) {
    for (String line : headers.getOrDefault("Cookie", List.of())) {
      for (String part : line.split(";")) {
        String p = part.trim();
        if (p.startsWith(name) && p.length() > name.length() && p.charAt(name.length()) == '=') {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static String sessionValue(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] value = mac.doFinal("vigil kpi page session".getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static String styleHash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(LOGIN_STYLE.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
