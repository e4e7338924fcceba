package dev.vigil.internal.page;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The page's files, read once from the jar: {@code index.html} at {@code /} and a fixed list under
 * {@code /ui/} (no path is ever mapped to a resource name, so nothing else can be fetched). The
 * page links each asset with a hash of its content ({@code ui/page.js?v=...}), so browsers may keep
 * assets for a year and still never run a stale one; the page itself is revalidated every time.
 *
 * <p>Every answer carries the same strict headers: a Content-Security-Policy that allows scripts,
 * styles, images and requests from this origin only (no inline script or style, no frames, no forms
 * posted anywhere), {@code nosniff}, and no referrer.
 */
final class PageAssets {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String ROOT = "/dev/vigil/internal/page/";
  private static final Map<String, String> TYPES =
      Map.of(
          "page.js", "text/javascript; charset=utf-8",
          "page.css", "text/css; charset=utf-8",
          "uPlot.iife.min.js", "text/javascript; charset=utf-8",
          "uPlot.min.css", "text/css; charset=utf-8",
          "favicon.svg", "image/svg+xml");

  private static volatile @Nullable PageAssets shared;

  private final Asset index;
  private final Map<String, Asset> assets;

  private PageAssets() {
    Map<String, Asset> loaded = new LinkedHashMap<>();
    String html = new String(read("index.html"), StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : TYPES.entrySet()) {
      Asset a = new Asset(read(e.getKey()), e.getValue());
      loaded.put(e.getKey(), a);
      html =
          html.replace("\"ui/" + e.getKey() + "\"", "\"ui/" + e.getKey() + "?v=" + a.hash + "\"");
    }
    this.assets = Map.copyOf(loaded);
    this.index = new Asset(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
  }

  /** The one copy of the files, shared by every {@code Monitoring} of the JVM. */
  static PageAssets get() {
    PageAssets a = shared;
    if (a == null) {
      synchronized (PageAssets.class) {
        a = shared;
        if (a == null) {
          a = new PageAssets();
          shared = a;
        }
      }
    }
    return a;
  }

  /** Answers {@code /} and {@code /ui/*}; false if the path is neither. */
  boolean serve(HttpExchange exchange, String path) throws IOException {
    if (path.equals("/")) {
      send(exchange, index, "no-cache");
      return true;
    }
    if (!path.startsWith("/ui/")) {
      return false;
    }
    Asset asset = assets.get(path.substring("/ui/".length()));
    if (asset == null) {
      return false;
    }
    String query = exchange.getRequestURI().getRawQuery();
    boolean versioned = query != null && query.equals("v=" + asset.hash);
    send(exchange, asset, versioned ? "public, max-age=31536000, immutable" : "no-cache");
    return true;
  }

  /** The headers every answer of the page carries, the JSON included. */
  static void secure(Headers headers) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
  }

  private static void send(HttpExchange exchange, Asset asset, String cacheControl)
      throws IOException {
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      secure(headers);
      headers.set("Content-Type", asset.type);
      headers.set("Cache-Control", cacheControl);
      headers.set("ETag", asset.etag);
      String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
      if (asset.etag.equals(ifNoneMatch)) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, asset.bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(asset.bytes);
      }
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = PageAssets.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("The KPI page's file " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the KPI page's file " + name, e);
    }
  }

  private static final class Asset {
    final byte[] bytes;
    final String type;
    final String hash;
    final String etag;

    Asset(byte[] bytes, String type) {
      this.bytes = bytes;
      this.type = type;
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        this.hash = HexFormat.of().formatHex(digest, 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
      this.etag = '"' + hash + '"';
    }
  }
}
