package dev.vigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority and the certificates a TLS test needs, made by {@code openssl}
 * in a directory of the test's: a server certificate for {@code 127.0.0.1} and {@code localhost}
 * and a client certificate, each signed by the CA, with unencrypted PKCS#8 keys (EC P-256), all
 * PEM, as Redis ({@code tls-cert-file}, {@code tls-ca-cert-file}) and {@code redis-cli} take them.
 *
 * <pre>{@code
 * TlsFiles tls = TlsFiles.generate(dir.resolve("tls"));
 * try (RedisServer redis = RedisServer.startTls(dir.resolve("redis"), tls)) {
 *   // redis.url() is rediss://127.0.0.1:<port>/0; trust tls.caCert(), present tls.clientCert()
 * }
 * }</pre>
 *
 * @param caCert the CA's certificate: what a client trusts
 * @param serverCert the server's certificate, for 127.0.0.1 and localhost
 * @param serverKey its key
 * @param clientCert a client certificate, for a server that asks for one
 * @param clientKey its key
 */
public record TlsFiles(
    Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

  /** Makes a new CA and its certificates in {@code dir}, with {@code openssl}. */
  public static TlsFiles generate(Path dir) {
    Path openssl = Executables.require("openssl", "openssl");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TlsFiles files =
        new TlsFiles(
            dir.resolve("ca.crt"),
            dir.resolve("server.crt"),
            dir.resolve("server.key"),
            dir.resolve("client.crt"),
            dir.resolve("client.key"));
    Path caKey = dir.resolve("ca.key");
    run(
        dir,
        openssl.toString(),
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        caKey.toString(),
        "-out",
        files.caCert.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=Vigil test CA " + System.nanoTime());
    sign(dir, openssl, files, "server", files.serverKey, files.serverCert, caKey, true);
    sign(dir, openssl, files, "client", files.clientKey, files.clientCert, caKey, false);
    return files;
  }

  private static void sign(
      Path dir,
      Path openssl,
      TlsFiles files,
      String name,
      Path key,
      Path cert,
      Path caKey,
      boolean server) {
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(
          ext,
          server
              ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
              : "extendedKeyUsage=clientAuth\n",
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(
        dir,
        openssl.toString(),
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=" + (server ? "127.0.0.1" : "vigil-test-client"));
    run(
        dir,
        openssl.toString(),
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        files.caCert.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-extfile",
        ext.toString());
  }

  private static void run(Path dir, String... command) {
    Path log = dir.resolve("openssl.log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("openssl did not finish within 60 s: " + List.of(command));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "openssl failed: " + List.of(command) + "\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * A TLS context that trusts this CA and presents the client certificate: how the test kit's own
   * client talks to a TLS server.
   */
  public SSLContext clientContext() {
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int n = 0;
      for (Certificate c : certificates(caCert)) {
        trusted.setCertificateEntry("ca-" + n++, c);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "client",
          KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pemBody(clientKey))),
          new char[0],
          certificates(clientCert).toArray(new Certificate[0]));
      KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      km.init(keys, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(km.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new AssertionError("the generated TLS files cannot be used: " + e, e);
    }
  }

  private static List<Certificate> certificates(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }

  private static byte[] pemBody(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < 0) {
      throw new IOException(pem + " holds no PKCS#8 private key");
    }
    return Base64.getMimeDecoder()
        .decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
  }
}
