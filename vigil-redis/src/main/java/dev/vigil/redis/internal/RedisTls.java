package dev.vigil.redis.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * The TLS settings of a {@code rediss://} URL from PEM files, as Redis itself and {@code redis-cli}
 * take them ({@code tls-ca-cert-file}, {@code --cacert}, {@code --cert}, {@code --key}): the CA
 * certificates to trust instead of the JDK's, and a client certificate with its key for a Redis
 * that asks for one ({@code tls-auth-clients yes}, Redis' default). A file that is missing or not
 * what it should be fails start-up with a message naming the setting.
 */
public final class RedisTls {
  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);

  /** The in-memory stores' password: they never leave the process. */
  private static final char[] STORE_PASSWORD = "vigil".toCharArray();

  private RedisTls() {}

  /**
   * Jedis' TLS options for these files: the server's certificate checked against the CAs (the JDK's
   * trust store when none is set, {@code javax.net.ssl.trustStore} included) and its host name
   * against the URL's, and the client certificate presented when one is set.
   *
   * @throws IllegalArgumentException naming the setting of a file that cannot be used
   */
  public static SslOptions options(
      @Nullable Path caCert,
      String caSetting,
      @Nullable Path clientCert,
      String certSetting,
      @Nullable Path clientKey,
      String keySetting) {
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          (clientCert == null ? certSetting : keySetting)
              + " is not set, but "
              + (clientCert == null ? keySetting : certSetting)
              + " is: a client certificate needs both its certificate and its private key (PEM"
              + " files)");
    }
    SslOptions.Builder options = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
    try {
      if (caCert != null) {
        KeyStore trusted = emptyStore();
        int n = 0;
        for (Certificate c : certificates(caCert, caSetting)) {
          trusted.setCertificateEntry("ca-" + n++, c);
        }
        options.truststore(resource(trusted), STORE_PASSWORD).trustStoreType("PKCS12");
      }
      if (clientCert != null && clientKey != null) {
        List<Certificate> chain = certificates(clientCert, certSetting);
        PrivateKey key = privateKey(clientKey, keySetting);
        KeyStore store = emptyStore();
        store.setKeyEntry("client", key, STORE_PASSWORD, chain.toArray(new Certificate[0]));
        options.keystore(resource(store), STORE_PASSWORD).keyStoreType("PKCS12");
      }
      SslOptions built = options.build();
      built.createSslContext(); // fails now, naming the settings, rather than on each connect
      return built;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "The TLS files of "
              + caSetting
              + (clientCert == null ? "" : ", " + certSetting + " and " + keySetting)
              + " cannot be used: "
              + e.getMessage(),
          e);
    }
  }

  /** The store, written out once, as Jedis reads it on each connect. */
  private static SslOptions.Resource resource(KeyStore store)
      throws GeneralSecurityException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, STORE_PASSWORD);
    byte[] bytes = out.toByteArray();
    return () -> new ByteArrayInputStream(bytes);
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static List<Certificate> certificates(Path file, String setting) {
    String text = read(file, setting);
    List<Certificate> result = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends Certificate> parsed =
          factory.generateCertificates(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
      result.addAll(parsed);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          setting + " (" + file + ") is not a PEM file of X.509 certificates: " + e.getMessage(),
          e);
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException(
          setting
              + " ("
              + file
              + ") holds no certificate; expected PEM blocks '-----BEGIN CERTIFICATE-----'");
    }
    return result;
  }

  private static PrivateKey privateKey(Path file, String setting) {
    String text = read(file, setting);
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("PRIVATE KEY")) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
          try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
          } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
            // not this algorithm: try the next
          }
        }
        throw new IllegalArgumentException(
            setting + " (" + file + ") holds a private key of an algorithm Java cannot read");
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw new IllegalArgumentException(
            setting
                + " ("
                + file
                + ") holds a '"
                + type
                + "'; Vigil reads unencrypted PKCS#8 keys ('-----BEGIN PRIVATE KEY-----'):"
                + " convert it with openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
      }
    }
    throw new IllegalArgumentException(
        setting + " (" + file + ") holds no '-----BEGIN PRIVATE KEY-----' block");
  }

  private static String read(Path file, String setting) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          setting + " names " + file + ", which cannot be read: " + e, e);
    }
  }
}
