package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.SecretCorpus;
import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Redactor's key rules, text rules and bounds, one behaviour per test. */
class RedactorTest {
  private final Redactor redactor = Redactor.defaults();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "password",
        "Password",
        "PASSWORD",
        "user_password",
        "db.password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "client_secret",
        "clientSecret",
        "token",
        "access_token",
        "refreshToken",
        "X-Auth-Token",
        "csrf-token",
        "api_key",
        "apiKey",
        "API-KEY",
        "x-api-key",
        "authorization",
        "Proxy-Authorization",
        "cookie",
        "Set-Cookie",
        "card_number",
        "cardNumber",
        "credit_card",
        "card",
        "cvv",
        "CVC",
        "private_key",
        "sessionId",
        "JSESSIONID",
        "credentials",
        "sentry_dsn",
        "SENTRY_DSN",
        "slack_webhook_url",
        "iban",
        "ssn",
        "pin",
        "pan",
        "otp",
        "jwt",
        "basic_auth",
        "signature"
      })
  void valueUnderSensitiveKeyIsMasked(String key) {
    assertThat(redactor.redact(Map.of(key, "s3cret-value", "user", "u-1")))
        .containsEntry(key, Redactor.MASK)
        .containsEntry("user", "u-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tokens", "tokenCount", "totalTokens", "max_tokens", "token_type", "model", "type",
        "userId", "span", "shipping", "className", "adsNetwork", "paymentMethod", "plan",
        "cardinality", "keyboard", "author"
      })
  void ordinaryFieldIsKept(String key) {
    assertThat(redactor.redact(Map.of(key, "plain"))).containsEntry(key, "plain");
  }

  @Test
  void nestedMapsAndListsAreSearched() {
    Map<String, Object> context =
        Map.of("user", Map.of("logins", List.of(Map.of("password", "hunter2", "id", 7))));
    assertThat(redactor.redact(context))
        .isEqualTo(
            Map.of("user", Map.of("logins", List.of(Map.of("password", "[REDACTED]", "id", 7)))));
  }

  @Test
  void sensitiveKeyMasksAWholeNestedValue() {
    assertThat(redactor.redact(Map.of("credentials", Map.of("user", "bob", "pin", 1234))))
        .containsEntry("credentials", Redactor.MASK);
  }

  @Test
  void numbersAndBooleansPassThroughUnchanged() {
    assertThat(redactor.redact(Map.of("tokens", 1500, "ok", true, "ratio", 0.5)))
        .isEqualTo(Map.of("tokens", 1500, "ok", true, "ratio", 0.5));
  }

  @Test
  void luhnValidCardNumberInTextIsMasked() {
    assertThat(redactor.redactText("card 4111111111111111 declined"))
        .isEqualTo("card [REDACTED] declined");
  }

  @Test
  void cardNumberGroupedBySpacesOrDashesIsMasked() {
    assertThat(redactor.redactText("cards 4111 1111 1111 1111 and 3782-822463-10005"))
        .isEqualTo("cards [REDACTED] and [REDACTED]");
  }

  @Test
  void numberFailingTheLuhnCheckIsKept() {
    assertThat(redactor.redactText("order 4111111111111112")).isEqualTo("order 4111111111111112");
  }

  @Test
  void millisecondTimestampIsKeptEvenWhenLuhnValid() {
    String timestamp = "1700000000004";
    assertThat(Redactor.luhn(timestamp)).isTrue();
    assertThat(redactor.redactText("at " + timestamp)).isEqualTo("at " + timestamp);
  }

  @Test
  void bearerCredentialInTextIsMasked() {
    assertThat(redactor.redactText("sent Bearer abc.def-123 upstream"))
        .isEqualTo("sent Bearer [REDACTED] upstream");
  }

  @Test
  void basicCredentialInTextIsMasked() {
    assertThat(redactor.redactText("basic dXNlcjpwYXNz")).isEqualTo("basic [REDACTED]");
  }

  @Test
  void authorizationHeaderLineLosesSchemeAndCredential() {
    assertThat(redactor.redactText("Authorization: Digest username42"))
        .isEqualTo("Authorization: [REDACTED]");
  }

  @Test
  void authorizationHeaderWithAnAlreadyMaskedCredentialIsMaskedCleanly() {
    assertThat(redactor.redactText("Authorization: Bearer abcdefgh123"))
        .isEqualTo("Authorization: [REDACTED]");
  }

  @Test
  void jwtIsMasked() {
    assertThat(redactor.redactText("jwt " + SecretCorpus.JWT + " expired"))
        .isEqualTo("jwt [REDACTED] expired");
  }

  @Test
  void userAndPasswordInUrlAreMasked() {
    assertThat(redactor.redactText("postgres://app:pw123@db:5432/app"))
        .isEqualTo("postgres://[REDACTED]@db:5432/app");
  }

  @Test
  void sentryDsnKeyIsMasked() {
    assertThat(redactor.redactText("dsn https://abc123def@o1.ingest.sentry.io/42"))
        .isEqualTo("dsn https://[REDACTED]@o1.ingest.sentry.io/42");
  }

  @Test
  void telegramBotTokenIsMaskedInsideTheBotUrl() {
    assertThat(
            redactor.redactText(
                "https://api.telegram.org/bot123456789:AAHabcdefghijklmnopqrstuvwxyz0123/getMe"))
        .isEqualTo("https://api.telegram.org/bot[REDACTED]/getMe");
  }

  @Test
  void slackWebhookSecretIsMasked() {
    assertThat(redactor.redactText("https://hooks.slack.com/services/T0/B0/xyzSecret"))
        .isEqualTo("https://hooks.slack.com/services/[REDACTED]");
  }

  @Test
  void providerKeysWithKnownPrefixesAreMasked() {
    assertThat(
            redactor.redactText(
                SecretCorpus.GITHUB_TOKEN
                    + " "
                    + SecretCorpus.AWS_ACCESS_KEY
                    + " sk_live_0123456789abcdefXYZ"))
        .isEqualTo("[REDACTED] [REDACTED] [REDACTED]");
  }

  @Test
  void sensitiveAssignmentInTextIsMasked() {
    assertThat(redactor.redactText("loaded password=hunter2, region=eu"))
        .isEqualTo("loaded password=[REDACTED], region=eu");
  }

  @Test
  void sensitiveJsonMemberInTextIsMasked() {
    assertThat(redactor.redactText("{\"client_secret\":\"abc\",\"id\":\"x\"}"))
        .isEqualTo("{\"client_secret\":[REDACTED],\"id\":\"x\"}");
  }

  @Test
  void tokenInQueryStringIsMasked() {
    assertThat(redactor.redactText("GET /cb?state=ok&access_token=abc123&scope=read"))
        .isEqualTo("GET /cb?state=ok&access_token=[REDACTED]&scope=read");
  }

  @Test
  void assignmentNestedInAnExceptionLineIsMasked() {
    assertThat(redactor.redactText("Caused by: java.io.IOException: token=abc"))
        .isEqualTo("Caused by: java.io.IOException: token=[REDACTED]");
  }

  @Test
  void kpiCountInTextIsKept() {
    assertThat(redactor.redactText("spent tokens=1500 on gpt-4"))
        .isEqualTo("spent tokens=1500 on gpt-4");
  }

  @Test
  void ordinaryTextIsReturnedAsIs() {
    String text = "Message received";
    assertThat(redactor.redactText(text)).isSameAs(text);
  }

  @Test
  void nullTextReadsNull() {
    assertThat(redactor.redactText(null)).isEqualTo("null");
  }

  @Test
  void nullMapGivesAnEmptyMap() {
    assertThat(redactor.redact(null)).isEmpty();
  }

  @Test
  void addedKeyIsMaskedAndDefaultsStay() {
    Redactor custom = Redactor.builder().addKeys("passport").build();
    assertThat(custom.redact(Map.of("passport_no", "X1", "password", "p", "tokens", 3)))
        .isEqualTo(Map.of("passport_no", Redactor.MASK, "password", Redactor.MASK, "tokens", 3));
  }

  @Test
  void addedKeyAlsoAppliesToAssignmentsInText() {
    Redactor custom = Redactor.builder().addKeys("passport").build();
    assertThat(custom.redactText("passport=X123")).isEqualTo("passport=[REDACTED]");
  }

  @Test
  void tooShortKeyIsRejectedWithTheRule() {
    assertThatThrownBy(() -> Redactor.builder().addKeys("id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "addKeys: 'id' is too short to match safely (at least 3 letters or digits); it would"
                + " redact unrelated fields. Use a longer key, such as ssn or passport.");
  }

  @Test
  void valueWhoseToStringThrowsIsShownByItsClass() {
    Object broken =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("no");
          }
        };
    assertThat(redactor.redact(Map.of("thing", broken)).get("thing"))
        .asString()
        .startsWith("[unprintable dev.vigil.RedactorTest$");
  }

  @Test
  void mapThatFailsWhileBeingReadIsShownByItsClass() {
    Map<String, Object> broken =
        new AbstractMap<>() {
          @Override
          public Set<Entry<String, Object>> entrySet() {
            throw new UnsupportedOperationException("no");
          }
        };
    assertThat(redactor.redact(Map.of("inner", broken)).get("inner"))
        .asString()
        .startsWith("[unreadable dev.vigil.RedactorTest$");
  }

  @Test
  void tokensInUrlPathsAndQueryStringsAreMasked() {
    assertThat(
            redactor.redactText(
                "GET https://api.example.com/v1/reset-password/9f8e7d6c5b4a39281706f5e4d3c2b1a0"
                    + "?lang=en&key=AIzaSyA1b2C3d4E5f6G7h8I9j0kLmN&sig=abc failed"))
        .isEqualTo(
            "GET https://api.example.com/v1/reset-password/[REDACTED]"
                + "?lang=en&key=[REDACTED]&sig=[REDACTED] failed");
    assertThat(redactor.redactText("see https://app.example.com/invite/Xy7kQ2mPz and /docs"))
        .isEqualTo("see https://app.example.com/invite/[REDACTED] and /docs");
    // Ordinary paths and values stay readable.
    assertThat(redactor.redactText("GET https://api.example.com/api/users/42?page=2 took 3 ms"))
        .isEqualTo("GET https://api.example.com/api/users/42?page=2 took 3 ms");
  }

  @Test
  void selfReferencingMapShowsTheCycle() {
    Map<String, Object> loop = new HashMap<>();
    loop.put("self", loop);
    loop.put("user", "u-1");
    assertThat(redactor.redact(loop)).isEqualTo(Map.of("self", "[cycle]", "user", "u-1"));
  }

  @Test
  void aMapHoldingItselfAHundredTimesIsVisitedAThousandTimesAtMost() {
    // Depth and width alone would allow 100^8 visits: the walk as a whole is bounded.
    Map<String, Object> wide = new LinkedHashMap<>();
    List<Object> selfs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      selfs.add(selfs);
      wide.put("k" + i, selfs);
    }
    String shown = String.valueOf(redactor.redact(wide));
    assertThat(shown).contains("[cycle]").contains("[truncated]");
    assertThat(shown.length()).isLessThan(200_000);
  }

  @Test
  void hugeNumbersAndEnumsAreShownBoundedAndSafe() {
    Map<String, Object> out =
        redactor.redact(
            Map.of(
                "tiny", new BigDecimal("1E-999999999"),
                "amount", new BigDecimal("19.99"),
                "unit", java.util.concurrent.TimeUnit.SECONDS));
    assertThat(out.get("tiny")).isEqualTo("1E-999999999");
    assertThat(out.get("amount")).isEqualTo(new BigDecimal("19.99"));
    assertThat(out.get("unit")).isEqualTo("SECONDS");
  }

  @Test
  void bigMapIsCutAfterTheEntryLimit() {
    Map<String, Object> big = new LinkedHashMap<>();
    for (int i = 0; i < 150; i++) {
      big.put("k" + i, i);
    }
    Map<String, Object> safe = redactor.redact(big);
    assertThat(safe).hasSize(Redactor.MAX_ENTRIES + 1).containsEntry("...", "[50 more entries]");
  }

  @Test
  void bigListIsCutAfterTheEntryLimit() {
    List<Integer> big = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      big.add(i);
    }
    List<?> safe = (List<?>) redactor.redactValue(big);
    assertThat(safe).hasSize(Redactor.MAX_ENTRIES + 1);
    assertThat(safe.get(Redactor.MAX_ENTRIES)).isEqualTo("[more items]");
  }

  @Test
  void arrayIsRedactedLikeAList() {
    assertThat(redactor.redactValue(new String[] {"ok", "Bearer abcdefgh"}))
        .isEqualTo(List.of("ok", "Bearer [REDACTED]"));
  }

  @Test
  void longTextIsCut() {
    String text = "a".repeat(Redactor.MAX_TEXT + 10);
    assertThat(redactor.redactText(text))
        .hasSize(Redactor.MAX_TEXT + "...[truncated]".length())
        .endsWith("...[truncated]");
  }

  @Test
  void objectIsRedactedThroughItsToString() {
    record Login(String user, String password) {}
    assertThat(redactor.redactValue(new Login("bob", "hunter2")))
        .isEqualTo("Login[user=bob, password=[REDACTED]]");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    for (String text : SecretCorpus.texts()) {
      String once = redactor.redactText(text);
      assertThat(redactor.redactText(once)).as(text).isEqualTo(once);
    }
  }

  @Test
  void wholeCorpusContextLeavesNoSecretAndKeepsTheVisibleFields() {
    String out = String.valueOf(redactor.redact(SecretCorpus.context()));
    assertThat(SecretCorpus.leaks(out)).isEmpty();
    assertThat(out).contains(SecretCorpus.VISIBLE).contains("tokens=1500");
  }

  @Test
  void everyCorpusTextLosesItsSecret() {
    for (String text : SecretCorpus.texts()) {
      assertThat(SecretCorpus.leaks(redactor.redactText(text))).as(text).isEmpty();
    }
  }
}
